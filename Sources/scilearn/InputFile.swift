import ArgumentParser
import Foundation

/// Reads a request from a file, or from standard input for "-".
enum InputFile {
    static func read(_ file: String) throws -> [UInt8] {
        if file == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        guard let d = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read '\(file)': no such file or not readable")
        }
        return [UInt8](d)
    }
}
