/// Whether a location is read (data) or written (results): each has its own allow-list, named
/// in the messages by its flag.
enum ReferencePurpose {
    case data, output

    var noun: String { self == .data ? "data" : "output" }
    var rootFlag: String { self == .data ? "--data-root or SCILEARN_DATA_ROOTS" : "--output-root or SCILEARN_OUTPUT_ROOTS" }
    var bucketFlag: String { self == .data ? "--data-bucket or SCILEARN_DATA_BUCKETS" : "--output-bucket or SCILEARN_OUTPUT_BUCKETS" }
}
