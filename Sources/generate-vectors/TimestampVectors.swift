enum TimestampVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] { [] }
}
