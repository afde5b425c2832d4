/// Undoes a PDF stream's filter, when it is the one filter Amana decodes: FlateDecode (zlib), with or without a PNG
/// predictor (PDF 32000-1 sections 7.4.4 and 7.4.4.4). Cross-reference streams, object streams and compressed XMP
/// packets use exactly that. Any other filter, or a predictor other than PNG's, is a `metadata.parse.unsupported`
/// finding: nothing is guessed.
///
/// Inflation is bounded twice: each stream by what is left of the file's budget (``MetadataLimits/inflatedBytes``),
/// so neither one zip bomb nor many small ones take more memory than that.
struct PDFStreamDecoder {
    /// What is left of the file's inflation budget.
    private(set) var budget = MetadataLimits.inflatedBytes

    /// The decoded bytes of a stream whose dictionary is `dictionary` and whose stored bytes are `raw`.
    mutating func decode(_ raw: [UInt8], dictionary: [UInt8]) throws -> [UInt8] {
        guard let filter = try PDFStreamDecoder.filter(dictionary) else { return raw }
        guard filter == "FlateDecode" else {
            throw MetadataParseError(MetadataParseError.unsupported, "a PDF stream uses the filter /\(filter), which Amana does not decode")
        }
        let inflated = try Inflater.inflate(raw, limit: budget)
        budget -= inflated.count
        var parameters: [UInt8] = []
        if let at = PDFReader.keyValue("DecodeParms", in: dictionary), PDFReader.matches("<<", dictionary, at) {
            parameters = PDFReader.dictionary(dictionary, at) ?? []
        }
        let predictor = PDFReader.integerValue("Predictor", in: parameters) ?? 1
        if predictor == 1 { return inflated }
        guard predictor >= 10 else {
            throw MetadataParseError(MetadataParseError.unsupported, "a PDF stream uses predictor \(predictor), which Amana does not decode")
        }
        let columns = PDFReader.integerValue("Columns", in: parameters) ?? 1
        let colors = PDFReader.integerValue("Colors", in: parameters) ?? 1
        let bits = PDFReader.integerValue("BitsPerComponent", in: parameters) ?? 8
        guard (1...4).contains(colors), [1, 2, 4, 8, 16].contains(bits), (1...1_000_000).contains(columns) else {
            throw MetadataParseError(MetadataParseError.malformed, "a PDF stream's predictor parameters are out of range")
        }
        return try PDFStreamDecoder.unpredictPNG(inflated, rowBytes: (columns * colors * bits + 7) / 8,
                                                 pixelBytes: max(1, colors * bits / 8))
    }

    /// The one filter named by `/Filter` (a name, or an array of one name); nil when there is none.
    static func filter(_ dictionary: [UInt8]) throws -> String? {
        guard var at = PDFReader.keyValue("Filter", in: dictionary) else { return nil }
        var inArray = false
        if PDFReader.matches("[", dictionary, at) {
            inArray = true
            at = PDFReader.skipSpace(dictionary, at + 1)
        }
        guard PDFReader.matches("/", dictionary, at) else {
            throw MetadataParseError(MetadataParseError.unsupported, "a PDF stream's /Filter is not a name")
        }
        var end = at + 1
        while end < dictionary.count, !PDFReader.isSpace(dictionary[end]), !"/[]<>()".utf8.contains(dictionary[end]) { end += 1 }
        let name = String(decoding: dictionary[(at + 1)..<end], as: UTF8.self)
        if inArray, !PDFReader.matches("]", dictionary, PDFReader.skipSpace(dictionary, end)) {
            throw MetadataParseError(MetadataParseError.unsupported, "a PDF stream has more than one filter")
        }
        return name
    }

    /// PNG's row filters (None, Sub, Up, Average, Paeth), each row led by its filter-type byte.
    static func unpredictPNG(_ data: [UInt8], rowBytes: Int, pixelBytes: Int) throws -> [UInt8] {
        let stride = rowBytes + 1
        guard data.count % stride == 0 else {
            throw MetadataParseError(MetadataParseError.malformed, "a PDF stream's predicted rows do not divide its length")
        }
        var out = [UInt8](repeating: 0, count: data.count / stride * rowBytes)
        for row in 0..<(data.count / stride) {
            let type = data[row * stride]
            let input = row * stride + 1, output = row * rowBytes
            for column in 0..<rowBytes {
                let left = column >= pixelBytes ? Int(out[output + column - pixelBytes]) : 0
                let up = row > 0 ? Int(out[output - rowBytes + column]) : 0
                let upLeft = row > 0 && column >= pixelBytes ? Int(out[output - rowBytes + column - pixelBytes]) : 0
                let predicted: Int
                switch type {
                case 0: predicted = 0
                case 1: predicted = left
                case 2: predicted = up
                case 3: predicted = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predicted = a <= b && a <= c ? left : b <= c ? up : upLeft
                default:
                    throw MetadataParseError(MetadataParseError.malformed, "a PDF stream row has PNG filter type \(type)")
                }
                out[output + column] = UInt8(truncatingIfNeeded: Int(data[input + column]) + predicted)
            }
        }
        return out
    }
}
