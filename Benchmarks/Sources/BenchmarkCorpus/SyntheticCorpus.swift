import Foundation

/// A deterministic, seeded corpus of realistic listings (about 400 bytes on average) that mixes
/// languages, lengths, trade, benign look-alikes and disguises, so the benchmarks need no data
/// download and every run sees the same text.
public struct SyntheticCorpus {
    /// SplitMix64: small, fast, and the same sequence on every platform.
    public struct Random {
        public var state: UInt64

        public init(state: UInt64) { self.state = state }

        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        public mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    }

    static let trade = [
        "Carved ivory bangle, 45g, genuine, WhatsApp for price",
        "Raw elephant tusk 3.2kg available, ship worldwide, DM",
        "出售象牙手镯 老料 包邮 私聊微信",
        "Bán sừng tê giác thật 100%, giá tốt, liên hệ Zalo 09xx",
        "Jual sisik trenggiling 1kg, harga nego, hubungi WA",
        "ขายงาช้างแท้ ราคาถูก สนใจติดต่อไลน์",
        "Vends défense d'ivoire ancienne, 1,2 kg, prix à débattre",
        "Se vende colmillo de marfil tallado, envío a todo el país",
        "Verkaufe Elfenbein Schnitzerei, alt, VB 450 Euro",
        "Продам бивень слона, натуральный, доставка по России",
        "للبيع عاج فيل طبيعي السعر بالخاص واتساب",
        "象牙の印鑑 本物 送料無料 即決",
        "상아 조각품 판매합니다 가격 문의",
        "Pembe za ndovu zinauzwa, bei nafuu, piga simu",
        "Baby slow loris for sale, very tame, 300 USD",
        "Tiger bone wine, 2 bottles, real, ship to HK",
        "Pangolin scales 5kg, wholesale price, telegram",
        "African grey parrot chicks, hand fed, WTS",
    ]

    static let benign = [
        "Ivory lace wedding dress, size 10, worn once, dry cleaned",
        "Tiger Balm red ointment 19.4g, new, sealed",
        "Jaguar XF 2015 diesel, full service history, one owner",
        "Python programming book, second edition, like new",
        "Faux ivory resin bangle set, costume jewellery",
        "Police seized two tonnes of ivory at the port, officials said",
        "Plush elephant toy for toddlers, washable, 30cm",
        "Bánh sừng bò nướng giòn, giao hàng tận nơi",
        "水牛角梳子 天然 防静电 包邮",
        "Onitsuka Tiger sneakers, size 42, barely worn",
        "Ivory white paint, 5 litre tin, matte finish",
        "Vegetable ivory (tagua nut) buttons, pack of 20",
    ]

    static let filler = [
        "Item is in very good condition, please see the photos for details.",
        "Collection only from the city centre, or I can post at your cost.",
        "Serious buyers only, no time wasters, price is firm.",
        "Comes from a smoke-free home, measurements in the last picture.",
        "Tình trạng còn mới, hàng như hình, inbox để biết thêm chi tiết.",
        "商品状态良好，实物拍摄，喜欢的朋友可以联系我。",
        "Kondisi bagus, foto asli, bisa COD wilayah Jakarta.",
        "Très bon état, envoi possible, paiement à la livraison.",
        "Sehr guter Zustand, Abholung oder Versand möglich.",
        "Estado impecable, se entrega en mano o por mensajería.",
        "Состояние отличное, возможна отправка почтой.",
        "สภาพดี ของแท้ ส่งได้ทั่วประเทศ",
    ]

    /// Disguises applied to trade listings, as sellers do.
    public static func disguise(_ text: String, _ random: inout Random) -> String {
        switch random.below(5) {
        case 0: return text.replacingFirst("ivory", with: "ivоry")  // Cyrillic о
        case 1: return text.replacingFirst("ivory", with: "1v0ry")
        case 2: return text.replacingFirst("ivory", with: "i v o r y")
        case 3: return text.replacingFirst("ivory", with: "iv\u{200B}ory")
        default: return text.replacingFirst("ivory", with: "ｉｖｏｒｙ")
        }
    }

    /// `count` listings from `seed`.
    public static func listings(count: Int, seed: UInt64 = 2026) -> [String] {
        var random = Random(state: seed)
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            var parts: [String] = []
            let roll = random.below(10)
            if roll < 3 {
                var t = random.pick(trade)
                if random.chance(0.3) { t = disguise(t, &random) }
                parts.append(t)
            } else if roll < 6 {
                parts.append(random.pick(benign))
            }
            let fillers = 2 + random.below(6)
            for _ in 0..<fillers { parts.append(random.pick(filler)) }
            if random.chance(0.4) { parts.append("Price: \(10 + random.below(990)) USD, ref #\(random.below(100_000))") }
            out.append(parts.joined(separator: " "))
        }
        return out
    }

    /// The same listings as plain ASCII (the fast path).
    public static func asciiListings(count: Int, seed: UInt64 = 7) -> [String] {
        listings(count: count * 3, seed: seed).filter { $0.utf8.allSatisfy { $0 < 0x80 } }.prefix(count).map { $0 }
    }

    /// Listings as JSONL records.
    public static func jsonl(_ listings: [String]) -> [[UInt8]] {
        listings.enumerated().map { i, text in
            var line = Array("{\"id\":\"l\(i)\",\"text\":".utf8)
            line += Array(quoted(text).utf8)
            line += Array("}".utf8)
            return line
        }
    }

    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
