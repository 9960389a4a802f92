<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Scans</name>
        <message>
            <source>No page edges found: the whole picture is kept.</source>
            <translation>未检测到材料边缘，已保留整幅画面。</translation>
        </message>
        <message>
            <source>The page is blurred: hold it still and retake.</source>
            <translation>材料图像模糊，请保持稳定后重新拍摄。</translation>
        </message>
    </context>
</TS>
