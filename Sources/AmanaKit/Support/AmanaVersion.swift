/// The version written into bundles (`Bag-Software-Agent`) and reports (`tool.version`).
package enum AmanaVersion {
    package static let current = "0.1.0"
    package static let agent = "amana \(current)"
}
