// The service's wire values (`JSONValue`, `JSONObject`) are SciLearnJSON's: importing
// SciLearnService brings them, as before they had a target of their own.
@_exported import SciLearnJSON
