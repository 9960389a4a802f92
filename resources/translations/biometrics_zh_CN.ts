<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Biometrics</name>
        <message>
            <source>same person</source>
            <translation>同一人</translation>
        </message>
        <message>
            <source>different people</source>
            <translation>非同一人</translation>
        </message>
        <message>
            <source>Score {score} (pass mark {pass_mark}): {verdict}</source>
            <translation>相似度 {score}（合格线 {pass_mark}）：{verdict}</translation>
        </message>
        <message>
            <source>The image file cannot be read.</source>
            <translation>无法读取图像文件。</translation>
        </message>
        <message>
            <source>The file is not an image in a known format.</source>
            <translation>该文件不是可识别格式的图像。</translation>
        </message>
        <message>
            <source>The image is empty or has an unknown layout.</source>
            <translation>图像为空或格式无法识别。</translation>
        </message>
        <message>
            <source>No face was found in the image.</source>
            <translation>图像中未检测到人脸。</translation>
        </message>
        <message>
            <source>Several faces were found; the largest face was used.</source>
            <translation>检测到多张人脸，已使用最大的一张。</translation>
        </message>
        <message>
            <source>The face is very small; the result is less reliable.</source>
            <translation>人脸过小，比对结果可靠性较低。</translation>
        </message>
        <message>
            <source>No face was found in the first image.</source>
            <translation>第一张图像中未检测到人脸。</translation>
        </message>
        <message>
            <source>No face was found in the second image.</source>
            <translation>第二张图像中未检测到人脸。</translation>
        </message>
    </context>
</TS>
