<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>SignaturePadCli</name>
        <message>
            <source>Simulated pad on {port} ({baud} baud). Ctrl+C to stop.</source>
            <translation>模拟签名板位于 {port}（{baud} 波特）。按 Ctrl+C 停止。</translation>
        </message>
        <message>
            <source>Pad {device}: {strokes} stroke(s), {points} point(s).</source>
            <translation>签名板 {device}：{strokes} 笔，{points} 个采样点。</translation>
        </message>
    </context>
    <context>
        <name>SignaturePad</name>
        <message>
            <source>The signature pad did not answer on {port}.</source>
            <translation>签名板在 {port} 上没有应答。</translation>
        </message>
        <message>
            <source>The signature pad's port cannot be opened. Check the cable.</source>
            <translation>无法打开签名板端口，请检查连接线。</translation>
        </message>
        <message>
            <source>The signature pad was unplugged. Reconnecting…</source>
            <translation>签名板已断开，正在重新连接…</translation>
        </message>
        <message>
            <source>The signature pad does not answer. Check the cable, the port and the baud rate.</source>
            <translation>签名板没有应答，请检查连接线、端口和波特率。</translation>
        </message>
        <message>
            <source>The signature pad stopped answering. Reconnecting…</source>
            <translation>签名板停止应答，正在重新连接…</translation>
        </message>
        <message>
            <source>Signature pad ready.</source>
            <translation>签名板已就绪。</translation>
        </message>
        <message>
            <source>Waiting for the signature on the pad.</source>
            <translation>请在签名板上签名。</translation>
        </message>
    </context>
    <context>
        <name>SignatureQuality</name>
        <message>
            <source>Please sign before accepting.</source>
            <translation>请先签名再确认。</translation>
        </message>
        <message>
            <source>The signature is too short. Please sign your full name.</source>
            <translation>签名过短，请签写完整姓名。</translation>
        </message>
        <message>
            <source>The signature has too few strokes. Please sign your full name.</source>
            <translation>签名笔画过少，请签写完整姓名。</translation>
        </message>
        <message>
            <source>The signature is too small. Please sign larger, along the line.</source>
            <translation>签名过小，请沿签名线写大一些。</translation>
        </message>
        <message>
            <source>The signature was too quick. Please sign your name properly.</source>
            <translation>签名过快，请认真签写姓名。</translation>
        </message>
    </context>
    <context>
        <name>SignatureRecord</name>
        <message>
            <source>The signature was given for another version of the agreement.</source>
            <translation>该签名针对的是另一版本的协议。</translation>
        </message>
        <message>
            <source>The agreement text differs from the text that was signed.</source>
            <translation>协议文本与签署时的文本不一致。</translation>
        </message>
        <message>
            <source>The signature belongs to another case.</source>
            <translation>该签名属于其他业务。</translation>
        </message>
        <message>
            <source>The signature's pen data were altered after signing.</source>
            <translation>签名笔迹数据在签署后被修改。</translation>
        </message>
        <message>
            <source>The signature image was altered after signing.</source>
            <translation>签名图像在签署后被修改。</translation>
        </message>
        <message>
            <source>The signature record's seal does not match its contents.</source>
            <translation>签名记录的封印与内容不符。</translation>
        </message>
    </context>
    <context>
        <name>SignatureCanvas</name>
        <message>
            <source>Sign here</source>
            <translation>请在此签名</translation>
        </message>
    </context>
    <context>
        <name>SignatureCaptureWidget</name>
        <message>
            <source>Please read the agreement, then sign below.</source>
            <translation>请阅读协议内容，然后在下方签名。</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Accept</source>
            <translation>确认</translation>
        </message>
        <message>
            <source>The signature pad is not available ({detail}). You can sign on the screen instead.</source>
            <translation>签名板不可用（{detail}）。也可以在屏幕上签名。</translation>
        </message>
        <message>
            <source>The time for signing has run out.</source>
            <translation>签名已超时。</translation>
        </message>
        <message>
            <source>Saving the signature…</source>
            <translation>正在保存签名…</translation>
        </message>
        <message>
            <source>Signature accepted.</source>
            <translation>签名已确认。</translation>
        </message>
        <message>
            <source>The signature could not be saved: {reason}</source>
            <translation>签名无法保存：{reason}</translation>
        </message>
    </context>
</TS>
