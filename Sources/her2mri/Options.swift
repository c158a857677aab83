import ArgumentParser
import DeepFeatures

/// Typed values shared by the commands: a backbone name is parsed once, here, with the list of
/// valid names in the error.
extension Backbone: ExpressibleByArgument {}

/// `all` or a comma-separated list of backbone names.
struct BackboneList: ExpressibleByArgument, Sendable {
    let backbones: [Backbone]

    init?(argument: String) {
        if argument == "all" {
            backbones = Backbone.allCases
            return
        }
        var list: [Backbone] = []
        for name in argument.split(separator: ",") {
            guard let b = Backbone(rawValue: String(name)) else { return nil }
            list.append(b)
        }
        guard !list.isEmpty else { return nil }
        backbones = list
    }

    static var allValueStrings: [String] { ["all"] + Backbone.allCases.map(\.rawValue) }
    var defaultValueDescription: String { backbones.count == Backbone.allCases.count ? "all" : backbones.map(\.rawValue).joined(separator: ",") }
}
