<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>EmrtdCli</name>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Document</source>
            <translation>证件</translation>
        </message>
        <message>
            <source>Nationality</source>
            <translation>国籍</translation>
        </message>
        <message>
            <source>Birth date</source>
            <translation>出生日期</translation>
        </message>
        <message>
            <source>Expiry date</source>
            <translation>有效期至</translation>
        </message>
        <message>
            <source>Photo</source>
            <translation>照片</translation>
        </message>
        <message>
            <source>Passive authentication</source>
            <translation>被动认证</translation>
        </message>
        <message>
            <source>--mrz is required (the document's machine-readable zone).</source>
            <translation>必须提供 --mrz（证件的机读区）。</translation>
        </message>
        <message>
            <source>CSCA path not found: {paths}</source>
            <translation>找不到 CSCA 证书路径：{paths}</translation>
        </message>
        <message>
            <source>Chip access</source>
            <translation>芯片访问方式</translation>
        </message>
    </context>
    <context>
        <name>Emrtd</name>
        <message>
            <source>The smart-card service (pcscd) is not running.</source>
            <translation>智能卡服务（pcscd）未运行。</translation>
        </message>
        <message>
            <source>No contactless (PC/SC) reader is connected.</source>
            <translation>未连接非接触式（PC/SC）读卡器。</translation>
        </message>
        <message>
            <source>Reading the document chip</source>
            <translation>正在读取证件芯片</translation>
        </message>
        <message>
            <source>The document was taken away during the read. Place it on the reader and read again.</source>
            <translation>读取过程中证件被移开。请将证件放回读卡器后重新读取。</translation>
        </message>
        <message>
            <source>The contactless reader is not available. Check its cable.</source>
            <translation>非接触式读卡器不可用，请检查连接线。</translation>
        </message>
        <message>
            <source>No document on the reader. Place the passport's photo page on the reader.</source>
            <translation>读卡器上没有证件。请将护照资料页放在读卡器上。</translation>
        </message>
        <message>
            <source>The card on the reader is not an electronic passport or travel document.</source>
            <translation>读卡器上的卡不是电子护照或电子旅行证件。</translation>
        </message>
        <message>
            <source>The chip refused the machine-readable zone. Check the document number, birth date and expiry date.</source>
            <translation>芯片拒绝了机读区信息。请核对证件号码、出生日期和有效期。</translation>
        </message>
        <message>
            <source>The machine-readable zone is not valid.</source>
            <translation>机读区无效。</translation>
        </message>
        <message>
            <source>The chip answered in a way that cannot be used. Read again.</source>
            <translation>芯片应答无法使用，请重新读取。</translation>
        </message>
        <message>
            <source>A file on the chip is damaged or not in the ICAO format.</source>
            <translation>芯片上的文件已损坏或不符合 ICAO 格式。</translation>
        </message>
        <message>
            <source>No document was placed on the reader in time.</source>
            <translation>未在规定时间内将证件放到读卡器上。</translation>
        </message>
        <message>
            <source>The read was cancelled.</source>
            <translation>读取已取消。</translation>
        </message>
    </context>
    <context>
        <name>Mrz</name>
        <message>
            <source>Enter the machine-readable zone.</source>
            <translation>请输入机读区。</translation>
        </message>
        <message>
            <source>Only A-Z, 0-9 and '&lt;' may appear in the machine-readable zone.</source>
            <translation>机读区只能包含 A-Z、0-9 和 '&lt;'。</translation>
        </message>
        <message>
            <source>The zone must be 3 lines of 30 (ID card, permit), 2 of 36, or 2 of 44 characters (passport).</source>
            <translation>机读区应为 3 行各 30 个字符（卡式证件、通行证）、2 行各 36 个字符，或 2 行各 44 个字符（护照）。</translation>
        </message>
    </context>
    <context>
        <name>EmrtdDocument</name>
        <message>
            <source>The chip gives no usable expiry date.</source>
            <translation>芯片中没有可用的有效期。</translation>
        </message>
        <message>
            <source>The document has expired.</source>
            <translation>证件已过期。</translation>
        </message>
        <message>
            <source>The document is within its validity.</source>
            <translation>证件在有效期内。</translation>
        </message>
        <message>
            <source>Chip data verified: hashes, signature and issuing country's certificate.</source>
            <translation>芯片数据已验证：摘要、签名及签发国证书均有效。</translation>
        </message>
        <message>
            <source>Chip data is intact and signed, but the issuing country's certificate (CSCA) is not configured, so the signer is not verified.</source>
            <translation>芯片数据完整且有签名，但未配置签发国根证书（CSCA），签名者身份未验证。</translation>
        </message>
        <message>
            <source>Chip data failed verification: it may have been altered. Check the document.</source>
            <translation>芯片数据验证失败，可能已被篡改。请核查证件。</translation>
        </message>
    </context>
    <context>
        <name>PassportPanel</name>
        <message>
            <source>Machine-readable zone (type it, or scan it; 2 or 3 lines):</source>
            <translation>机读区（手工输入或扫描，2 行或 3 行）：</translation>
        </message>
        <message>
            <source>P&lt;UTOERIKSSON&lt;&lt;ANNA&lt;MARIA&lt;&lt;&lt;...
L898902C36UTO7408122F1204159...</source>
            <translation>P&lt;UTOERIKSSON&lt;&lt;ANNA&lt;MARIA&lt;&lt;&lt;...
L898902C36UTO7408122F1204159...</translation>
        </message>
        <message>
            <source>Read chip</source>
            <translation>读取芯片</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Use this document</source>
            <translation>使用此证件</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Document</source>
            <translation>证件</translation>
        </message>
        <message>
            <source>Nationality</source>
            <translation>国籍</translation>
        </message>
        <message>
            <source>Birth date</source>
            <translation>出生日期</translation>
        </message>
        <message>
            <source>Sex</source>
            <translation>性别</translation>
        </message>
        <message>
            <source>Expiry date</source>
            <translation>有效期至</translation>
        </message>
        <message>
            <source>Issued by</source>
            <translation>签发机关</translation>
        </message>
        <message>
            <source>document number</source>
            <translation>证件号码</translation>
        </message>
        <message>
            <source>birth date</source>
            <translation>出生日期</translation>
        </message>
        <message>
            <source>expiry date</source>
            <translation>有效期</translation>
        </message>
        <message>
            <source>optional data</source>
            <translation>可选数据</translation>
        </message>
        <message>
            <source>overall check digit</source>
            <translation>总校验位</translation>
        </message>
        <message>
            <source>Enter the zone at the bottom of the photo page.</source>
            <translation>请输入资料页底部的机读区。</translation>
        </message>
        <message>
            <source>Characters per line: {counts}</source>
            <translation>每行字符数：{counts}</translation>
        </message>
        <message>
            <source>Smart-card service not running</source>
            <translation>智能卡服务未运行</translation>
        </message>
        <message>
            <source>No contactless reader</source>
            <translation>无非接触式读卡器</translation>
        </message>
        <message>
            <source>Document on the reader</source>
            <translation>证件已放在读卡器上</translation>
        </message>
        <message>
            <source>Reader ready, no document</source>
            <translation>读卡器就绪，未放证件</translation>
        </message>
        <message>
            <source>Waiting for the document…</source>
            <translation>正在等待证件…</translation>
        </message>
        <message>
            <source>Opening the chip with the MRZ (BAC)…</source>
            <translation>正在用机读区打开芯片（BAC）…</translation>
        </message>
        <message>
            <source>Reading the chip's contents list…</source>
            <translation>正在读取芯片文件目录…</translation>
        </message>
        <message>
            <source>Reading the holder data…</source>
            <translation>正在读取持证人信息…</translation>
        </message>
        <message>
            <source>Reading the photo…</source>
            <translation>正在读取照片…</translation>
        </message>
        <message>
            <source>Reading additional details…</source>
            <translation>正在读取附加信息…</translation>
        </message>
        <message>
            <source>Reading the security object…</source>
            <translation>正在读取安全对象…</translation>
        </message>
        <message>
            <source>Verifying the chip data…</source>
            <translation>正在验证芯片数据…</translation>
        </message>
        <message>
            <source>Read complete.</source>
            <translation>读取完成。</translation>
        </message>
        <message>
            <source>No photo</source>
            <translation>无照片</translation>
        </message>
        <message>
            <source>Male</source>
            <translation>男</translation>
        </message>
        <message>
            <source>Female</source>
            <translation>女</translation>
        </message>
        <message>
            <source>Unspecified</source>
            <translation>未说明</translation>
        </message>
        <message>
            <source>No photo on the chip</source>
            <translation>芯片中没有照片</translation>
        </message>
        <message>
            <source>The chip photo cannot be shown</source>
            <translation>无法显示芯片照片</translation>
        </message>
        <message>
            <source>Chip verified: data unaltered, signed by the issuing country.</source>
            <translation>芯片已验证：数据未被改动，由签发国签名。</translation>
        </message>
        <message>
            <source>Chip data unaltered and signed; the issuing country's certificate is not configured, so the signer is not verified.</source>
            <translation>芯片数据未被改动且有签名；未配置签发国证书，签名者未验证。</translation>
        </message>
        <message>
            <source>The chip has no security object: its data cannot be verified.</source>
            <translation>芯片中没有安全对象，数据无法验证。</translation>
        </message>
        <message>
            <source>Chip verification FAILED: the data may have been altered.</source>
            <translation>芯片验证失败：数据可能已被篡改。</translation>
        </message>
        <message>
            <source>Chip opened with {protocol}.</source>
            <translation>芯片访问方式：{protocol}。</translation>
        </message>
    </context>
</TS>
