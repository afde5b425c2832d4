/// The version written into bundles (`Bag-Software-Agent`) and reports (`tool.version`).
public enum AmanaVersion {
    public static let current = "0.1.0"
    public static let agent = "amana \(current)"
}
