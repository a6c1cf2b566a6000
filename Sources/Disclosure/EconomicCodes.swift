import Workflow

/// The economic classification codes (支出经济分类) the disclosure's tables are built from (SPEC §8).
enum EconomicCodes {
    /// 办公费.
    static let office = "30201"
    /// 邮电费.
    static let post = "30207"
    /// 工会经费 and 福利费, one category of 机关运行经费.
    static let unionWelfare: Set<String> = ["30228", "30229"]
    /// 公务用车运行维护费: both a 机关运行经费 category and a “三公” category.
    static let vehicleOperation = "30231"
    /// 因公出国（境）费用.
    static let abroad = "30212"
    /// 公务用车购置.
    static let vehiclePurchase = "31013"
    /// 公务接待费.
    static let reception = "30217"
}
