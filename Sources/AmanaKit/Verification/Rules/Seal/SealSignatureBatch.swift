import Foundation

/// Each seal's statement parsed and signature checked, for all seals at once on every core, before the seals are
/// judged in order: a hostile bundle has 9,999 seals, and each check is a BLAKE2b digest and two Ed25519
/// verifications.
struct SealSignatureBatch {
    /// Each seal's signature check, by number; a seal whose files do not parse has no entry, and
    /// ``SealSignatureRule`` then reports why, as it always did.
    private(set) var checks = [Int: SignatureCheck]()
    /// Each seal's statement, parsed in the same pass.
    private(set) var statements = [Int: SealStatement]()

    /// Prepares the seals `numbers` (those with a statement and a signature); a few are not worth the threads.
    init(_ numbers: [Int], inventory: BagInventory) {
        guard numbers.count > 16 else { return }
        let inputs: [(statement: [UInt8], signature: [UInt8])?] = numbers.map { number in
            guard let statement = inventory.files[BundleLayout.sealFile(number)]?.contents,
                  let signature = inventory.files[BundleLayout.sealSignature(number)]?.contents else { return nil }
            return (statement, signature)
        }
        let results = UnsafeMutableBufferPointer<(SealStatement, SignatureCheck)?>.allocate(capacity: numbers.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let out = CheckBuffer(results)
        let workers = ProcessInfo.processInfo.activeProcessorCount
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: inputs.count, by: workers) {
                guard let input = inputs[index],
                      let statement = try? SealStatement(parsing: input.statement),
                      let signer = try? PublicKey(base64: statement.signerPublicKey),
                      let text = String(validating: input.signature, as: UTF8.self),
                      let signature = try? MinisignSignature(minisignFile: text)
                else { continue }
                out.buffer[index] = (statement, signer.verify(signature, message: input.statement))
            }
        }
        for (index, number) in numbers.enumerated() {
            if let (statement, check) = results[index] {
                statements[number] = statement
                checks[number] = check
            }
        }
    }

    /// Lets `concurrentPerform` write disjoint slots of one buffer.
    private struct CheckBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<(SealStatement, SignatureCheck)?>
        init(_ buffer: UnsafeMutableBufferPointer<(SealStatement, SignatureCheck)?>) { self.buffer = buffer }
    }
}
