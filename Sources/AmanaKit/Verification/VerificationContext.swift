import Foundation

/// What every rule may read, and what rules leave there for the rules after them and for the report.
///
/// The inputs are fixed before the first rule runs: the inventory from one pass over the container, the BagIt check,
/// the trust the caller gave and the bundle's names. The outputs are filled by the seal rules and read by the custody
/// rules (which hold the log to the checkpoints of signed seals only) and by ``ReportBuilder``.
struct VerificationContext {
    let inventory: BagInventory
    /// The BagIt check's result; nil when a rule is run on an inventory alone (tests, fuzzing).
    let bag: BagCheck?
    let trust: TrustSet
    /// The bundle's id: the root folder of a tar, `External-Identifier` for a folder.
    let bundleID: String?
    /// `External-Identifier` from bag-info.txt, which every seal's `Bundle-Id` must equal as well (seal.md section 3.2);
    /// in a tar it may differ from the root folder, which ``bundleID`` is.
    let declaredID: String?
    /// Roots for RFC 3161 tokens given by the caller; nil means the system store, loaded only if a token needs it.
    let tsaRoots: TSARoots?
    let validationTime: Date

    /// The roots tokens were checked against (the system store is loaded only when a token needs it).
    var tsaRootsUsed: TSARoots?
    /// Statements whose signatures verified, by seal number, for the rules that need their commitments (custody).
    var statements = [Int: SealStatement]()
    /// Who signed each seal, for the report's `seals` and the verdict line: only keys from the trust set are named.
    var sealResults = [VerificationReport.SealResult]()
    /// What each token that was verified says, by its path, for the report's `seals[].tokens`.
    var tokenResults = [String: TimestampVerification]()
    /// Each custody event's status, as ``CustodyRule`` judged it, for the report's `custody` entries and `custody show`.
    var custodyEvents = [CustodyEventStatus]()

    /// The files at the bag's top level, sorted, found once: each of up to 9,999 seals is held to the manifests
    /// among them, and sorting every file name once per seal made a hostile bundle cost minutes.
    private(set) lazy var topLevelFiles: [String] = inventory.files.keys.filter { !$0.utf8.contains(UInt8(ascii: "/")) }.sorted()

    init(inventory: BagInventory, bag: BagCheck? = nil, trust: TrustSet, bundleID: String?, declaredID: String? = nil,
         tsaRoots: TSARoots? = nil, validationTime: Date = Date(), statements: [Int: SealStatement] = [:]) {
        self.inventory = inventory
        self.bag = bag
        self.trust = trust
        self.bundleID = bundleID
        self.declaredID = declaredID
        self.tsaRoots = tsaRoots
        self.validationTime = validationTime
        self.statements = statements
    }
}
