import Foundation
import WildGuard

/// Fixed data the fuzz targets classify with: the small taxonomy in `Fuzz/fixtures` and listings
/// that reach every kind of signal in it.
public enum FuzzFixtures {
    /// `Fuzz/fixtures/mini-taxonomy`, found from this source file's path.
    public static var miniTaxonomyDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/mini-taxonomy").path
    }

    /// The small taxonomy, loaded once; the process stops when it does not load (that is a broken
    /// fixture, not a finding).
    public static let miniTaxonomy: Taxonomy = {
        do {
            return try Taxonomy(directory: miniTaxonomyDirectory)
        } catch {
            FileHandle.standardError.write(Data("fuzz fixture \(miniTaxonomyDirectory) does not load: \(error)\n".utf8))
            exit(2)
        }
    }()

    /// A policy that scores every kind and has one rule of each shape.
    public static let policyYAML = """
        policy: fuzz
        version: "1"
        thresholds: {review: 3, block: 6}
        scores:
          taxon: {score: 2, cap: 4}
          product: {score: 3, cap: 6}
          codeword: {score: 3}
          intent: {score: 1}
          benign: {score: -4, cap: 8}
          mitigating: {score: -1}
          evasion: {score: 2, cap: 4}
        rules:
          - id: PROHIBITED
            any: ["kind:product tag:prohibited", "kind:codeword tag:strong"]
          - id: APPENDIX_I
            all: ["kind:taxon appendix:I", "kind:product !tag:ivory"]
            none: ["kind:benign"]
            action: block
          - id: TRADE
            all: ["rule:PROHIBITED", "kind:intent"]
            score: 4
          - id: DISGUISED
            all: ["kind:evasion tag:attached"]
            action: review
        """

    /// Listings in several scripts and disguises.
    public static let listings = [
        "Carved ivory bangle, DM for price",
        "1v0ry b.a.n.g.l.e white gold beads, WhatsApp",
        "Hand reared chick african grey for sale",
        "ivory colour dress, antique, not for sale",
        "出售象牙手镯 白金 大象",
        "Продам слоновую кость, слон",
        "🐘 e l e p h a n t carving 4sale",
        "Graupapagei tame baby, Zalo",
        "ivory\u{200B}bangle рhino",
        "",
    ]
}
