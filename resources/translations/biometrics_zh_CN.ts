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
    <context>
        <name>Liveness</name>
        <message>
            <source>live</source>
            <translation>活体</translation>
        </message>
        <message>
            <source>not live</source>
            <translation>非活体</translation>
        </message>
        <message>
            <source>Please blink</source>
            <translation>请眨眼</translation>
        </message>
        <message>
            <source>Please turn your head to the left</source>
            <translation>请向左转头</translation>
        </message>
        <message>
            <source>Please turn your head to the right</source>
            <translation>请向右转头</translation>
        </message>
        <message>
            <source>Please open your mouth</source>
            <translation>请张嘴</translation>
        </message>
        <message>
            <source>Please nod</source>
            <translation>请点头</translation>
        </message>
        <message>
            <source>Please look straight at the camera</source>
            <translation>请正视摄像头</translation>
        </message>
        <message>
            <source>The action was not completed in time.</source>
            <translation>未在规定时间内完成动作。</translation>
        </message>
        <message>
            <source>No face is visible; please face the camera.</source>
            <translation>未检测到人脸，请面向摄像头。</translation>
        </message>
        <message>
            <source>Several faces are visible; only one person may be in view.</source>
            <translation>检测到多张人脸，画面中只能有一人。</translation>
        </message>
        <message>
            <source>The face changed during the check.</source>
            <translation>检测过程中人脸发生了变化。</translation>
        </message>
        <message>
            <source>A still image is suspected, not a live person.</source>
            <translation>疑似静态图像，非真人。</translation>
        </message>
        <message>
            <source>A different action was performed than the one asked for.</source>
            <translation>所做动作与要求不符。</translation>
        </message>
        <message>
            <source>Liveness check passed.</source>
            <translation>活体检测通过。</translation>
        </message>
    </context>
</TS>
