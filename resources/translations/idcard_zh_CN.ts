<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>IdCardReader</name>
        <message>
            <source>Check that the reader is connected and powered, then press Retry. If it keeps failing, restart the reader or call technical support.</source>
            <translation>请检查读卡器是否已连接并通电，然后点击“重试”。如仍失败，请重启读卡器或联系技术支持。</translation>
        </message>
        <message>
            <source>Place the card flat on the reader and keep it still until the read finishes.</source>
            <translation>请将证件平放在读卡器上，读取完成前不要移动。</translation>
        </message>
        <message>
            <source>This card cannot be read here. Check the document, or enter the details manually for supervisor review.</source>
            <translation>此证件无法在此读取。请核对证件，或手工录入信息并提交审核。</translation>
        </message>
        <message>
            <source>Place the card on the reader.</source>
            <translation>请将证件放到读卡器上。</translation>
        </message>
        <message>
            <source>Check the reader's cable and port settings; the station reconnects by itself.</source>
            <translation>请检查读卡器连接线和端口设置；系统会自动重新连接。</translation>
        </message>
        <message>
            <source>The card's data could not be understood. Read it again; if it fails again, enter the details manually for supervisor review.</source>
            <translation>无法识别证件数据。请重新读取；如仍失败，请手工录入信息并提交审核。</translation>
        </message>
        <message>
            <source>The ID card reader was disconnected.</source>
            <translation>身份证读卡器已断开连接。</translation>
        </message>
        <message>
            <source>The card holds no such information.</source>
            <translation>证件中没有该信息。</translation>
        </message>
        <message>
            <source>The reader received a corrupted command (checksum error).</source>
            <translation>读卡器收到的指令已损坏（校验和错误）。</translation>
        </message>
        <message>
            <source>The reader received a command of the wrong length.</source>
            <translation>读卡器收到的指令长度错误。</translation>
        </message>
        <message>
            <source>The reader does not know this command.</source>
            <translation>读卡器不支持该指令。</translation>
        </message>
        <message>
            <source>The reader refused the command (not permitted).</source>
            <translation>读卡器拒绝执行该指令（越权操作）。</translation>
        </message>
        <message>
            <source>The reader reported an unknown error.</source>
            <translation>读卡器报告未知错误。</translation>
        </message>
        <message>
            <source>The card failed to authenticate the reader's security module.</source>
            <translation>证件认证读卡器安全模块失败。</translation>
        </message>
        <message>
            <source>The reader's security module failed to authenticate the card.</source>
            <translation>读卡器安全模块认证证件失败。</translation>
        </message>
        <message>
            <source>The card's information failed verification.</source>
            <translation>证件信息验证错误。</translation>
        </message>
        <message>
            <source>The card's fingerprint data failed verification.</source>
            <translation>证件指纹信息验证错误。</translation>
        </message>
        <message>
            <source>The card's information has a wrong length.</source>
            <translation>证件信息长度错误。</translation>
        </message>
        <message>
            <source>Unknown card type.</source>
            <translation>未知的证件类型。</translation>
        </message>
        <message>
            <source>Reading the card failed.</source>
            <translation>读取证件失败。</translation>
        </message>
        <message>
            <source>The card did not answer the security challenge.</source>
            <translation>取随机数失败。</translation>
        </message>
        <message>
            <source>The reader's security module (SAM) failed its self-test.</source>
            <translation>读卡器安全模块（SAM）自检失败。</translation>
        </message>
        <message>
            <source>The reader's security module (SAM) is not authorised.</source>
            <translation>读卡器安全模块（SAM）未经授权。</translation>
        </message>
        <message>
            <source>No card found on the reader.</source>
            <translation>读卡器上未找到证件。</translation>
        </message>
        <message>
            <source>The card could not be selected.</source>
            <translation>选卡失败。</translation>
        </message>
        <message>
            <source>The reader answered with unknown status {status}.</source>
            <translation>读卡器返回未知状态 {status}。</translation>
        </message>
        <message>
            <source>The card was removed during the read.</source>
            <translation>读取过程中证件被移开。</translation>
        </message>
        <message>
            <source>The reader did not answer within {seconds} s.</source>
            <translation>读卡器在 {seconds} 秒内没有响应。</translation>
        </message>
        <message>
            <source>The reader's answers were corrupted {attempts} times in a row.</source>
            <translation>读卡器的应答连续 {attempts} 次损坏。</translation>
        </message>
        <message>
            <source>The reader's answer could not be understood: {detail}</source>
            <translation>无法解析读卡器的应答：{detail}</translation>
        </message>
        <message>
            <source>No card was placed on the reader within {seconds} s.</source>
            <translation>{seconds} 秒内没有证件放到读卡器上。</translation>
        </message>
        <message>
            <source>No ID card reader found. Check the cable.</source>
            <translation>未找到身份证读卡器，请检查连接线。</translation>
        </message>
        <message>
            <source>The ID card reader failed; reconnecting.</source>
            <translation>身份证读卡器出错，正在重新连接。</translation>
        </message>
        <message>
            <source>Reading the card...</source>
            <translation>正在读取证件……</translation>
        </message>
    </context>
    <context>
        <name>IdentityChecks</name>
        <message>
            <source>No ID number was given.</source>
            <translation>未填写证件号码。</translation>
        </message>
        <message>
            <source>An ID number has 17 digits followed by a digit or X.</source>
            <translation>证件号码应为 17 位数字加 1 位数字或 X。</translation>
        </message>
        <message>
            <source>The birth date inside the ID number is not a real date.</source>
            <translation>证件号码中的出生日期不是有效日期。</translation>
        </message>
        <message>
            <source>The ID number's check digit is wrong (expected {expected}).</source>
            <translation>证件号码校验位错误（应为 {expected}）。</translation>
        </message>
        <message>
            <source>ID number is valid.</source>
            <translation>证件号码有效。</translation>
        </message>
        <message>
            <source>No credit code was given.</source>
            <translation>未填写统一社会信用代码。</translation>
        </message>
        <message>
            <source>A unified social credit code has 18 characters (digits and capital letters except I, O, S, V, Z).</source>
            <translation>统一社会信用代码为 18 位（数字及除 I、O、S、V、Z 外的大写字母）。</translation>
        </message>
        <message>
            <source>The credit code's check character is wrong (expected {expected}).</source>
            <translation>统一社会信用代码校验位错误（应为 {expected}）。</translation>
        </message>
        <message>
            <source>Credit code is valid.</source>
            <translation>统一社会信用代码有效。</translation>
        </message>
        <message>
            <source>No organisation code was given.</source>
            <translation>未填写组织机构代码。</translation>
        </message>
        <message>
            <source>An organisation code has 8 digits or capital letters and a check character.</source>
            <translation>组织机构代码为 8 位数字或大写字母加 1 位校验码。</translation>
        </message>
        <message>
            <source>The organisation code's check character is wrong (expected {expected}).</source>
            <translation>组织机构代码校验码错误（应为 {expected}）。</translation>
        </message>
        <message>
            <source>Organisation code is valid.</source>
            <translation>组织机构代码有效。</translation>
        </message>
        <message>
            <source>No mobile number was given.</source>
            <translation>未填写手机号码。</translation>
        </message>
        <message>
            <source>A mobile number has 11 digits and starts with 13 to 19.</source>
            <translation>手机号码为 11 位数字，以 13 至 19 开头。</translation>
        </message>
        <message>
            <source>Mobile number is valid.</source>
            <translation>手机号码有效。</translation>
        </message>
    </context>
    <context>
        <name>ChipPhoto</name>
        <message>
            <source>The photo decoder library {path} could not be loaded.</source>
            <translation>无法加载照片解码库 {path}。</translation>
        </message>
        <message>
            <source>The library {path} has no known photo decoding function.</source>
            <translation>库 {path} 中没有可识别的照片解码函数。</translation>
        </message>
        <message>
            <source>The photo decoder returned no usable image.</source>
            <translation>照片解码库没有返回可用的图像。</translation>
        </message>
        <message>
            <source>The photo decoder failed (code {code}).</source>
            <translation>照片解码失败（代码 {code}）。</translation>
        </message>
        <message>
            <source>The card returned no chip photo ({size} bytes).</source>
            <translation>证件没有返回芯片照片（{size} 字节）。</translation>
        </message>
        <message>
            <source>Chip photo not available: no photo decoder is configured. The case will be checked by a supervisor.</source>
            <translation>芯片照片不可用：未配置照片解码库。该业务将由审核人员核查。</translation>
        </message>
    </context>
    <context>
        <name>IdentityCard</name>
        <message>
            <source>The card text is not valid UCS-2 at byte {offset}.</source>
            <translation>证件文字信息在第 {offset} 字节处不是有效的 UCS-2 编码。</translation>
        </message>
        <message>
            <source>The card's {field} is not a valid date.</source>
            <translation>证件的{field}不是有效日期。</translation>
        </message>
        <message>
            <source>The card text has {size} bytes instead of 256.</source>
            <translation>证件文字信息为 {size} 字节，应为 256 字节。</translation>
        </message>
        <message>
            <source>Unknown card type (marker {marker}).</source>
            <translation>未知的证件类型（标识 {marker}）。</translation>
        </message>
        <message>
            <source>The card has no {field}.</source>
            <translation>证件缺少{field}。</translation>
        </message>
        <message>
            <source>Unknown sex code {code!r} on the card.</source>
            <translation>证件上的性别代码 {code!r} 无法识别。</translation>
        </message>
        <message>
            <source>name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>English name</source>
            <translation>英文姓名</translation>
        </message>
        <message>
            <source>ID number</source>
            <translation>证件号码</translation>
        </message>
        <message>
            <source>sex</source>
            <translation>性别</translation>
        </message>
        <message>
            <source>birth date</source>
            <translation>出生日期</translation>
        </message>
        <message>
            <source>validity start</source>
            <translation>有效期起始日期</translation>
        </message>
        <message>
            <source>validity end</source>
            <translation>有效期截止日期</translation>
        </message>
    </context>
    <context>
        <name>IdentityValidation</name>
        <message>
            <source>The card is not valid before {date}.</source>
            <translation>证件在 {date} 之前尚未生效。</translation>
        </message>
        <message>
            <source>The card expired on {date}.</source>
            <translation>证件已于 {date} 过期。</translation>
        </message>
        <message>
            <source>The card's validity ends before it starts.</source>
            <translation>证件有效期截止日期早于起始日期。</translation>
        </message>
        <message>
            <source>The card is valid.</source>
            <translation>证件在有效期内。</translation>
        </message>
        <message>
            <source>This card type is accepted here.</source>
            <translation>此业务接受该类证件。</translation>
        </message>
        <message>
            <source>This card type is not accepted for this service.</source>
            <translation>此业务不接受该类证件。</translation>
        </message>
        <message>
            <source>A 2017 permanent residence number has 3 letters followed by 12 digits.</source>
            <translation>2017 版永久居留身份证号码为 3 位字母加 12 位数字。</translation>
        </message>
        <message>
            <source>The permit number does not start with the card's nationality.</source>
            <translation>证件号码开头与证件上的国籍代码不符。</translation>
        </message>
        <message>
            <source>Permit number format is valid (no check digit on this card).</source>
            <translation>证件号码格式有效（此类证件无校验位）。</translation>
        </message>
        <message>
            <source>A residence permit number starts with 810000, 820000 or 830000.</source>
            <translation>居住证号码应以 810000、820000 或 830000 开头。</translation>
        </message>
        <message>
            <source>A 2023 permanent residence number starts with 9.</source>
            <translation>2023 版永久居留身份证号码应以 9 开头。</translation>
        </message>
        <message>
            <source>This number belongs to a permit, not a resident ID card.</source>
            <translation>该号码属于居住证或永居证，不是居民身份证号码。</translation>
        </message>
        <message>
            <source>Birth date matches the ID number.</source>
            <translation>出生日期与证件号码一致。</translation>
        </message>
        <message>
            <source>The birth date does not match the ID number.</source>
            <translation>出生日期与证件号码不一致。</translation>
        </message>
        <message>
            <source>Sex matches the ID number.</source>
            <translation>性别与证件号码一致。</translation>
        </message>
        <message>
            <source>The sex does not match the ID number.</source>
            <translation>性别与证件号码不一致。</translation>
        </message>
    </context>
    <context>
        <name>IdCardPanel</name>
        <message>
            <source>Card type</source>
            <translation>证件类型</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>English name</source>
            <translation>英文姓名</translation>
        </message>
        <message>
            <source>Sex</source>
            <translation>性别</translation>
        </message>
        <message>
            <source>Nation</source>
            <translation>民族</translation>
        </message>
        <message>
            <source>Date of birth</source>
            <translation>出生日期</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>住址</translation>
        </message>
        <message>
            <source>ID number</source>
            <translation>证件号码</translation>
        </message>
        <message>
            <source>Issued by</source>
            <translation>签发机关</translation>
        </message>
        <message>
            <source>Valid</source>
            <translation>有效期限</translation>
        </message>
        <message>
            <source>Travel permit number</source>
            <translation>通行证号码</translation>
        </message>
        <message>
            <source>Nationality</source>
            <translation>国籍</translation>
        </message>
        <message>
            <source>Resident identity card</source>
            <translation>居民身份证</translation>
        </message>
        <message>
            <source>Residence permit for Hong Kong, Macao and Taiwan residents</source>
            <translation>港澳台居民居住证</translation>
        </message>
        <message>
            <source>Foreign permanent resident ID card</source>
            <translation>外国人永久居留身份证</translation>
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
            <source>Unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>Unspecified</source>
            <translation>未说明</translation>
        </message>
        <message>
            <source>Number type</source>
            <translation>号码类型</translation>
        </message>
        <message>
            <source>Validity</source>
            <translation>有效期</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Enter manually</source>
            <translation>手工录入</translation>
        </message>
        <message>
            <source>Long-term</source>
            <translation>长期</translation>
        </message>
        <message>
            <source>Chip photo</source>
            <translation>芯片照片</translation>
        </message>
        <message>
            <source>Chip photo could not be shown</source>
            <translation>无法显示芯片照片</translation>
        </message>
        <message>
            <source>The decoded photo is not a readable image. The case will be checked by a supervisor.</source>
            <translation>解码后的照片无法显示。该业务将由审核人员核查。</translation>
        </message>
        <message>
            <source>No card read yet</source>
            <translation>尚未读取证件</translation>
        </message>
        <message>
            <source>Chip photo not available</source>
            <translation>芯片照片不可用</translation>
        </message>
        <message>
            <source>Place the ID card on the reader. It is read automatically.</source>
            <translation>请将身份证放到读卡器上，系统会自动读取。</translation>
        </message>
        <message>
            <source>Card read. It may stay off the reader.</source>
            <translation>证件已读取，可以不放在读卡器上。</translation>
        </message>
        <message>
            <source>Card read. You may remove it from the reader.</source>
            <translation>证件已读取，可以从读卡器上取下。</translation>
        </message>
    </context>
</TS>
