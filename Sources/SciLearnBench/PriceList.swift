/// The public prices the cost model uses (USD), with the date and region they were read for.
///
/// The defaults are AWS's published on-demand list prices for us-east-1 (x86), entered by hand
/// on ``date``; free tiers are not subtracted (a steady service outgrows them). Every figure is a
/// parameter: `scilearn bench cost` takes each as a flag, so a reader can re-price the same
/// measurements for another region, an arm64 function, or a newer price list.
public struct PriceList: Codable, Sendable, Hashable {
    /// When the prices were read (ISO 8601 date).
    public var date: String
    /// The region they are for.
    public var region: String
    /// Lambda duration, per GB-second (x86; AWS bills the init phase too).
    public var lambdaPerGBSecond: Double
    /// Lambda, per request (invocation).
    public var lambdaPerRequest: Double
    /// SQS standard queue, per request; each 64 KiB chunk of a payload is billed as one request.
    public var sqsPerRequest: Double
    /// The SQS billing chunk, bytes.
    public var sqsChunkBytes: Int
    /// The always-on instance type.
    public var instanceType: String
    /// Its on-demand price per hour.
    public var instancePerHour: Double
    /// Its vCPUs.
    public var instanceVCPUs: Int
    /// Its memory, GiB.
    public var instanceMemoryGiB: Double

    /// A price list; see the properties for the units.
    public init(date: String, region: String, lambdaPerGBSecond: Double, lambdaPerRequest: Double, sqsPerRequest: Double,
                sqsChunkBytes: Int, instanceType: String, instancePerHour: Double, instanceVCPUs: Int, instanceMemoryGiB: Double) {
        self.date = date
        self.region = region
        self.lambdaPerGBSecond = lambdaPerGBSecond
        self.lambdaPerRequest = lambdaPerRequest
        self.sqsPerRequest = sqsPerRequest
        self.sqsChunkBytes = sqsChunkBytes
        self.instanceType = instanceType
        self.instancePerHour = instancePerHour
        self.instanceVCPUs = instanceVCPUs
        self.instanceMemoryGiB = instanceMemoryGiB
    }

    /// AWS us-east-1 list prices as entered on 2026-12-06: Lambda x86 $0.0000166667 per GB-s and
    /// $0.20 per million requests; SQS standard $0.40 per million requests (64 KiB chunks); an
    /// always-on c7i.large (2 vCPU, 4 GiB) at $0.08925 an hour on demand.
    public static let awsUSEast1 = PriceList(
        date: "2026-12-06", region: "us-east-1", lambdaPerGBSecond: 0.0000166667, lambdaPerRequest: 0.20 / 1e6,
        sqsPerRequest: 0.40 / 1e6, sqsChunkBytes: 65_536, instanceType: "c7i.large", instancePerHour: 0.08925,
        instanceVCPUs: 2, instanceMemoryGiB: 4)
}
