<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>ReviewRules</name>
        <message>
            <source>The live photo does not match the chip photo closely enough.</source>
            <translation>现场照片与证件芯片照片比对相似度不足。</translation>
        </message>
        <message>
            <source>The chip photo could not be read, so no face match was possible.</source>
            <translation>无法读取证件芯片照片，未能进行人脸比对。</translation>
        </message>
        <message>
            <source>The identity data was typed in by hand instead of read from the chip.</source>
            <translation>身份信息为人工录入，未从证件芯片读取。</translation>
        </message>
        <message>
            <source>The photo was captured by the clerk despite failed quality checks.</source>
            <translation>照片质量检测未通过，由窗口人员强制采集。</translation>
        </message>
        <message>
            <source>The identity document has expired or is not yet valid.</source>
            <translation>身份证件已过期或尚未生效。</translation>
        </message>
        <message>
            <source>The identity document expires within 30 days.</source>
            <translation>身份证件将在 30 天内到期。</translation>
        </message>
        <message>
            <source>A consistency check of the identity document failed.</source>
            <translation>身份证件信息一致性校验未通过。</translation>
        </message>
        <message>
            <source>The mobile number could not be verified by SMS code.</source>
            <translation>手机号码未能通过短信验证码验证。</translation>
        </message>
        <message>
            <source>Every organisation registration is reviewed.</source>
            <translation>单位注册一律人工审核。</translation>
        </message>
        <message>
            <source>Electronic driving licence photos are checked by the licensing office.</source>
            <translation>电子驾驶证照片由车管所审核。</translation>
        </message>
        <message>
            <source>Face recognition failed repeatedly; ID card photos were submitted for manual review.</source>
            <translation>人脸识别多次失败，已提交身份证照片进行人工审核。</translation>
        </message>
        <message>
            <source>The face match passed only narrowly; a supervisor should compare the photos.</source>
            <translation>人脸比对勉强通过，需审核员人工比对照片。</translation>
        </message>
        <message>
            <source>Resubmitted with the information a supervisor asked for; compare with the returned case.</source>
            <translation>已按审核人员要求补充材料重新提交，请对照被退回的业务审核。</translation>
        </message>
    </context>
</TS>
