/// Where data given by reference is read from (CONTRACT.md, "Data and results by reference"):
/// the I/O the service does not do itself. An adapter hands one to ``SciLearnService`` (the
/// `SciLearnData` target's `DataReferenceSource` for `file://` and `s3://` references under the operator's
/// roots); without one, a reference is refused.
///
/// The service opens each distinct `url` of a request once, checks the header (column names,
/// or the array's shape) against the fields and the cell limit, and only then reads the values.
///
/// The same source writes results by reference (a request's `output`): the service checks the
/// location before the job runs (``checkOutput(_:)``) and writes the files after it succeeds.
public protocol DataSource: Sendable {
    /// Opens the table at `url` and reads its header, nothing more.
    /// - Throws: ``DataSourceError`` when the reference is not allowed, missing or malformed.
    func open(_ url: String, format: DataFormat) throws(DataSourceError) -> any DataTable

    /// Checks that `url` (a folder or key prefix, ending in `/`) is an allowed place to write.
    /// - Throws: ``DataSourceError`` saying why not; nothing is written.
    func checkOutput(_ url: String) throws(DataSourceError)

    /// Writes `bytes` as the file or object `url` (inside a location ``checkOutput(_:)`` allowed).
    func write(_ bytes: [UInt8], to url: String, contentType: String) throws(DataSourceError)
}
