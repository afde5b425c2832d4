import AmanaKit
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on stderr (bytes, rate, ETA), redrawn four times a second and erased when done.
///
/// It appears only when stderr is a terminal and `--quiet` was not given, so pipes, files and CI logs get nothing,
/// and it never touches stdout, where results and JSON reports go. The first line is drawn after half a second,
/// so quick commands never flash one.
final class ProgressDisplay {
    private let label: String
    private let meter: ByteProgress
    private let queue = DispatchQueue(label: "amana.progress")
    private let timer: DispatchSourceTimer
    /// Whether a line is on screen; only touched on `queue`.
    private var drawn = false

    /// Starts counting and drawing, or returns nil when there is nowhere to draw.
    static func start(_ label: String, total: UInt64?, options: ProgressOptions) -> ProgressDisplay? {
        guard !options.quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressDisplay(label, meter: ByteProgress.start(total: total))
    }

    private init(_ label: String, meter: ByteProgress) {
        self.label = label
        self.meter = meter
        self.timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [unowned self] in self.draw() }
        timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(250))
        timer.resume()
    }

    /// Stops the timer and erases the line, so what follows starts on a clean line. Call before printing results.
    func stop() {
        timer.cancel()
        queue.sync {
            if drawn { ProgressDisplay.write("\r\u{1B}[2K") }
            drawn = false
        }
        ByteProgress.stop()
    }

    private func draw() {
        var line = meter.snapshot().line(label)
        let width = ProgressDisplay.terminalWidth()
        if line.count >= width { line = String(line.prefix(max(0, width - 1))) }
        ProgressDisplay.write("\r\u{1B}[2K" + line)
        drawn = true
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            offset += n
        }
    }
}
