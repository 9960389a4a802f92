<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>ChipPhoto</name>
        <message>
            <source>This is not a simulated card's photo.</source>
            <translation>这不是模拟证件的照片。</translation>
        </message>
        <message>
            <source>The simulated card's photo is damaged.</source>
            <translation>模拟证件的照片已损坏。</translation>
        </message>
    </context>
    <context>
        <name>PhotoStep</name>
        <message>
            <source>Simulated chip photo (demo): made from the same picture as the live face, so they match trivially.</source>
            <translation>模拟芯片照片（演示）：与现场人像取自同一张图片，比对必然通过，得分不说明识别能力。</translation>
        </message>
        <message>
            <source>Simulated chip photo (demo): it shows another person.</source>
            <translation>模拟芯片照片（演示）：照片上是另一个人。</translation>
        </message>
    </context>
    <context>
        <name>IdCardPanel</name>
        <message>
            <source>Simulated chip photo (demo decoder, not a real card)</source>
            <translation>模拟芯片照片（演示解码器，并非真实证件）</translation>
        </message>
    </context>
    <context>
        <name>CaseView</name>
        <message>
            <source>Photo on the card chip — SIMULATED (demo card)</source>
            <translation>证件芯片照片 — 模拟（演示证件）</translation>
        </message>
    </context>
    <context>
        <name>TrainingConsole</name>
        <message>
            <source>Working…</source>
            <translation>正在执行…</translation>
        </message>
        <message>
            <source>Done.</source>
            <translation>已完成。</translation>
        </message>
        <message>
            <source>Not possible here: {reason}</source>
            <translation>此处无法执行：{reason}</translation>
        </message>
        <message>
            <source>ready</source>
            <translation>就绪</translation>
        </message>
        <message>
            <source>busy</source>
            <translation>忙碌</translation>
        </message>
        <message>
            <source>connecting</source>
            <translation>正在连接</translation>
        </message>
        <message>
            <source>not connected</source>
            <translation>未连接</translation>
        </message>
        <message>
            <source>error</source>
            <translation>故障</translation>
        </message>
        <message>
            <source>not configured</source>
            <translation>未配置</translation>
        </message>
        <message>
            <source>ID card reader</source>
            <translation>身份证阅读器</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>摄像头</translation>
        </message>
        <message>
            <source>Signature pad</source>
            <translation>签名板</translation>
        </message>
        <message>
            <source>Central service</source>
            <translation>中心服务</translation>
        </message>
        <message>
            <source>Central service clock: real time</source>
            <translation>中心服务时钟：实时</translation>
        </message>
        <message>
            <source>Central service clock: {hours:+.1f} h</source>
            <translation>中心服务时钟：{hours:+.1f} 小时</translation>
        </message>
        <message>
            <source>No text message yet.</source>
            <translation>尚未收到短信。</translation>
        </message>
        <message>
            <source>Training console (demo)</source>
            <translation>培训控制台（演示）</translation>
        </message>
        <message>
            <source>Simulated person at the counter</source>
            <translation>窗口前的模拟人员</translation>
        </message>
        <message>
            <source>Step up</source>
            <translation>换人上前</translation>
        </message>
        <message>
            <source>Card on the reader (the person's own)</source>
            <translation>放在阅读器上的证件（本人的）</translation>
        </message>
        <message>
            <source>Resident ID card</source>
            <translation>居民身份证</translation>
        </message>
        <message>
            <source>HK/Macao/Taiwan residence permit</source>
            <translation>港澳台居民居住证</translation>
        </message>
        <message>
            <source>Foreigner's permanent residence card</source>
            <translation>外国人永久居留身份证</translation>
        </message>
        <message>
            <source>Expired ID card</source>
            <translation>过期身份证</translation>
        </message>
        <message>
            <source>Card that cannot be read</source>
            <translation>无法读取的证件</translation>
        </message>
        <message>
            <source>Pull the card</source>
            <translation>拿走证件</translation>
        </message>
        <message>
            <source>Pull it in the middle of the read</source>
            <translation>读卡中途拿走</translation>
        </message>
        <message>
            <source>Cables and lines</source>
            <translation>线缆与线路</translation>
        </message>
        <message>
            <source>Make unreachable</source>
            <translation>断开连接</translation>
        </message>
        <message>
            <source>Unplug</source>
            <translation>拔出</translation>
        </message>
        <message>
            <source>Make reachable</source>
            <translation>恢复连接</translation>
        </message>
        <message>
            <source>Plug in</source>
            <translation>插上</translation>
        </message>
        <message>
            <source>Noise on the serial lines (reader and pad)</source>
            <translation>串口线路干扰（阅读器和签名板）</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Fast-forward past review deadlines</source>
            <translation>快进到审核期限之后</translation>
        </message>
        <message>
            <source>Back to real time</source>
            <translation>恢复实时</translation>
        </message>
        <message>
            <source>Kiosk liveness check</source>
            <translation>自助机活体检测</translation>
        </message>
        <message>
            <source>A simulated live person answers the challenges</source>
            <translation>由模拟真人完成动作指令</translation>
        </message>
        <message>
            <source>The camera's picture only (a replayed still)</source>
            <translation>仅摄像头画面（回放的静态照片）</translation>
        </message>
        <message>
            <source>The person's phone (last text message)</source>
            <translation>此人的手机（最近一条短信）</translation>
        </message>
        <message>
            <source>Traffic system</source>
            <translation>交管系统</translation>
        </message>
        <message>
            <source>Answers normally</source>
            <translation>正常应答</translation>
        </message>
        <message>
            <source>Refuses requests</source>
            <translation>拒绝请求</translation>
        </message>
        <message>
            <source>Answers too slowly</source>
            <translation>应答过慢</translation>
        </message>
        <message>
            <source>Unreachable</source>
            <translation>无法连接</translation>
        </message>
    </context>
</TS>
