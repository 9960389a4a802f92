"""Code tables printed in the card's text block: sex (GB/T 2261.1) and nation (GB 3304)."""

from __future__ import annotations

SEX_NAMES: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
SEX_NAMES_EN: dict[str, str] = {"0": "unknown", "1": "male", "2": "female", "9": "unspecified"}

NATION_NAMES: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝",
    "08": "壮", "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白",
    "15": "土家", "16": "哈尼", "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤",
    "22": "畲", "23": "高山", "24": "拉祜", "25": "水", "26": "东乡", "27": "纳西", "28": "景颇",
    "29": "柯尔克孜", "30": "土", "31": "达斡尔", "32": "仫佬", "33": "羌", "34": "布朗",
    "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌", "40": "普米",
    "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}

# GB/T 3304's romanised names, code for code (for an interface in English)
NATION_NAMES_EN: dict[str, str] = {
    "01": "Han", "02": "Mongol", "03": "Hui", "04": "Tibetan", "05": "Uyghur", "06": "Miao",
    "07": "Yi", "08": "Zhuang", "09": "Buyei", "10": "Korean", "11": "Manchu", "12": "Dong",
    "13": "Yao", "14": "Bai", "15": "Tujia", "16": "Hani", "17": "Kazakh", "18": "Dai",
    "19": "Li", "20": "Lisu", "21": "Va", "22": "She", "23": "Gaoshan", "24": "Lahu",
    "25": "Shui", "26": "Dongxiang", "27": "Naxi", "28": "Jingpo", "29": "Kyrgyz", "30": "Tu",
    "31": "Daur", "32": "Mulao", "33": "Qiang", "34": "Blang", "35": "Salar", "36": "Maonan",
    "37": "Gelao", "38": "Xibe", "39": "Achang", "40": "Pumi", "41": "Tajik", "42": "Nu",
    "43": "Uzbek", "44": "Russian", "45": "Evenki", "46": "De'ang", "47": "Bonan",
    "48": "Yugur", "49": "Gin", "50": "Tatar", "51": "Derung", "52": "Oroqen", "53": "Hezhen",
    "54": "Monba", "55": "Lhoba", "56": "Jino", "97": "other",
    "98": "Chinese citizen of foreign origin",
}


def in_english(field: str, printed: str) -> str:
    """The English name of a sex or nation as printed on the card (男 -> male, 汉 -> Han);
    ``printed`` itself when it is not in the tables."""
    names, english = {"sex": (SEX_NAMES, SEX_NAMES_EN),
                      "nation": (NATION_NAMES, NATION_NAMES_EN)}.get(field, ({}, {}))
    code = next((c for c, name in names.items() if name == printed), None)
    return english.get(code, printed) if code is not None else printed


def sex_name(code: str) -> str:
    """男 / 女 / 未知 / 未说明 for a GB/T 2261.1 code; empty for an unknown code."""
    return SEX_NAMES.get(code, "")


def nation_name(code: str) -> str:
    """The nation's name (e.g. 汉) for a GB 3304 code; empty when the code is not in the table."""
    return NATION_NAMES.get(code, "")
