/// What `store init` demands of the bucket before an organisation store writes anything into it (spec/store.md,
/// "Objects on S3"): versioning Enabled (every object is read by the version the store wrote, so an overwrite is a
/// new version Amana never reads) and Object Lock (the storage itself enforces retention). A store whose policy
/// leaves retention to the bucket also needs the bucket to have a default retention, or its objects would have none.
///
/// Each refusal is one line naming the bucket and what it lacks: the bucket cannot be fixed afterwards for objects
/// already written (S3 turns Object Lock on only at creation, on AWS), so init must refuse before the first PUT.
enum S3BucketRequirements {
    static func check(_ client: S3Client, policy: RetentionPolicy) throws {
        let bucket = "s3://\(client.location.bucket)"
        let versioning = try S3Blocking.run { try await client.getBucketVersioning() }
        let lock = try S3Blocking.run { try await client.getObjectLockConfiguration() }
        guard versioning == .enabled else {
            throw AmanaError(.inputInvalid, "the bucket \(bucket) does not have versioning enabled",
                             hint: "use a bucket created with Object Lock (which turns versioning on)")
        }
        guard lock.enabled else {
            throw AmanaError(.inputInvalid, "the bucket \(bucket) does not have Object Lock enabled",
                             hint: "create the bucket with Object Lock enabled; it cannot be added to its objects later")
        }
        if policy == .bucketDefault, lock.defaultMode == nil || (lock.defaultDays == nil && lock.defaultYears == nil) {
            throw AmanaError(.inputInvalid, "the bucket \(bucket) has no default retention and the store names none",
                             hint: "give --retention compliance|governance and --retain-days N")
        }
    }
}
