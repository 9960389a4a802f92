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
</TS>
