<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Workflow</name>
        <message>
            <source>This case no longer exists.</source>
            <translation>该业务已不存在。</translation>
        </message>
        <message>
            <source>This case is already finished and cannot be changed.</source>
            <translation>该业务已办结，不能再修改。</translation>
        </message>
        <message>
            <source>The photo is empty.</source>
            <translation>照片为空。</translation>
        </message>
        <message>
            <source>Enter the organisation's full registered name.</source>
            <translation>请输入单位的完整登记名称。</translation>
        </message>
        <message>
            <source>The scanned document is empty.</source>
            <translation>扫描的材料为空。</translation>
        </message>
        <message>
            <source>identity document</source>
            <translation>身份证件</translation>
        </message>
        <message>
            <source>live photo</source>
            <translation>现场照片</translation>
        </message>
        <message>
            <source>signature</source>
            <translation>签名</translation>
        </message>
        <message>
            <source>organisation details</source>
            <translation>单位信息</translation>
        </message>
        <message>
            <source>business licence and power of attorney scans</source>
            <translation>营业执照和授权委托书影像</translation>
        </message>
        <message>
            <source>e-licence photo</source>
            <translation>电子驾驶证照片</translation>
        </message>
        <message>
            <source>photos of the ID card's front and back</source>
            <translation>身份证正反面照片</translation>
        </message>
        <message>
            <source>Still missing: {parts}</source>
            <translation>尚缺：{parts}</translation>
        </message>
        <message>
            <source>This case is not submitted yet.</source>
            <translation>该业务尚未提交。</translation>
        </message>
        <message>
            <source>Only a case returned for more information can be resubmitted.</source>
            <translation>只有被退回补充材料的业务才能重新提交。</translation>
        </message>
        <message>
            <source>This case was already resubmitted as {number}.</source>
            <translation>该业务已重新提交为 {number}。</translation>
        </message>
        <message>
            <source>This document does not belong to the person of the returned case {number}.</source>
            <translation>该证件不属于被退回业务 {number} 的办理人。</translation>
        </message>
        <message>
            <source>Photos of this purpose cannot be sent: {purpose}</source>
            <translation>无法发送此用途的照片：{purpose}</translation>
        </message>
        <message>
            <source>Kept at the self-service terminal: no ID card edges in two pictures.</source>
            <translation>自助终端保留：两次拍摄均未识别出身份证边缘。</translation>
        </message>
    </context>
</TS>
