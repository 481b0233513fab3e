/// An opened table of a ``DataSource``: its header is known, its values not yet read.
public protocol DataTable: AnyObject {
    /// What the header says: the CSV's column names, or the `.npy` array's shape.
    var header: DataTableHeader { get }

    /// The values, column-major: for CSV the columns at `columns` (indices into the header's
    /// names, in that order), for `.npy` the whole array (`columns` nil; a 1-D array is one
    /// column). Refused as soon as more than `maxCells` values would be read.
    /// - Returns: the row count and `rows × columns` values, column by column.
    func read(columns: [Int]?, maxCells: Int, isCancelled: @escaping @Sendable () -> Bool) throws(DataSourceError) -> (rows: Int, values: [Double])
}
