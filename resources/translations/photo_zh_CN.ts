<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>PhotoGuidance</name>
        <message>
            <source>Camera picture unavailable, please wait</source>
            <translation>摄像头画面暂不可用，请稍候</translation>
        </message>
        <message>
            <source>Only one person in front of the camera, please</source>
            <translation>镜头前只能有一个人</translation>
        </message>
        <message>
            <source>Please move into the middle of the picture</source>
            <translation>请移到画面中间</translation>
        </message>
        <message>
            <source>Please come a little closer</source>
            <translation>请靠近一点</translation>
        </message>
        <message>
            <source>Please step back a little</source>
            <translation>请稍微后退一点</translation>
        </message>
        <message>
            <source>Please take off your hat</source>
            <translation>请摘下帽子</translation>
        </message>
        <message>
            <source>Please take off your glasses</source>
            <translation>请摘下眼镜</translation>
        </message>
        <message>
            <source>Please look straight at the camera</source>
            <translation>请正视镜头</translation>
        </message>
        <message>
            <source>Please keep your head level</source>
            <translation>请保持头部水平，不要抬头或低头</translation>
        </message>
        <message>
            <source>Please hold your head straight</source>
            <translation>请把头摆正</translation>
        </message>
        <message>
            <source>Please open your eyes</source>
            <translation>请睁开眼睛</translation>
        </message>
        <message>
            <source>Please close your mouth</source>
            <translation>请闭上嘴巴</translation>
        </message>
        <message>
            <source>Please keep a neutral expression, no smiling</source>
            <translation>请保持自然表情，不要微笑</translation>
        </message>
        <message>
            <source>Please hold still</source>
            <translation>请保持不动</translation>
        </message>
        <message>
            <source>Lighting problem: please ask the clerk</source>
            <translation>光线有问题，请联系工作人员</translation>
        </message>
        <message>
            <source>Please stand in front of the white background</source>
            <translation>请站在白色背景前</translation>
        </message>
        <message>
            <source>Please remove objects from the picture</source>
            <translation>请移除画面中的物品</translation>
        </message>
        <message>
            <source>Camera colour problem: please ask the clerk</source>
            <translation>摄像头色彩有问题，请联系工作人员</translation>
        </message>
        <message>
            <source>Hold still, taking the photo</source>
            <translation>请保持不动，正在拍照</translation>
        </message>
        <message>
            <source>Please step back a little, or lower the camera</source>
            <translation>请后退一点，或将摄像头调低</translation>
        </message>
    </context>
    <context>
        <name>PhotoCheck</name>
        <message>
            <source>The image was read</source>
            <translation>图像已读取</translation>
        </message>
        <message>
            <source>The image cannot be read (damaged, empty or not an image)</source>
            <translation>无法读取图像（文件损坏、为空或不是图像）</translation>
        </message>
        <message>
            <source>Exactly one face found</source>
            <translation>检测到一张人脸</translation>
        </message>
        <message>
            <source>There must be exactly one face in the photo</source>
            <translation>照片中必须有且只有一张人脸</translation>
        </message>
        <message>
            <source>The whole face is inside the image</source>
            <translation>整张脸都在画面内</translation>
        </message>
        <message>
            <source>The face is cut off at the edge of the image</source>
            <translation>人脸被图像边缘截断</translation>
        </message>
        <message>
            <source>Enough pixels on the head for this photo size</source>
            <translation>头部像素足够生成该规格照片</translation>
        </message>
        <message>
            <source>The head is too small in the image (resolution too low)</source>
            <translation>图像中头部太小（分辨率不足）</translation>
        </message>
        <message>
            <source>Enough space around the head to crop the photo</source>
            <translation>头部周围留有足够的裁剪空间</translation>
        </message>
        <message>
            <source>Not enough space around the head (crown, chin or sides cut off)</source>
            <translation>头部周围空间不足（头顶、下巴或两侧被截断）</translation>
        </message>
        <message>
            <source>The image has the required pixel size</source>
            <translation>图像像素尺寸符合要求</translation>
        </message>
        <message>
            <source>The image does not have the required pixel size</source>
            <translation>图像像素尺寸不符合要求</translation>
        </message>
        <message>
            <source>Head height (crown to chin) is within the standard</source>
            <translation>头部长度（头顶至下颌）符合标准</translation>
        </message>
        <message>
            <source>Head height (crown to chin) is outside the standard</source>
            <translation>头部长度（头顶至下颌）不符合标准</translation>
        </message>
        <message>
            <source>Head width is within the standard</source>
            <translation>头部宽度符合标准</translation>
        </message>
        <message>
            <source>Head width is outside the standard</source>
            <translation>头部宽度不符合标准</translation>
        </message>
        <message>
            <source>Space above the head is within the standard</source>
            <translation>头顶上方留白符合标准</translation>
        </message>
        <message>
            <source>Space above the head is outside the standard</source>
            <translation>头顶上方留白不符合标准</translation>
        </message>
        <message>
            <source>The face is centred</source>
            <translation>人脸居中</translation>
        </message>
        <message>
            <source>The face is not centred</source>
            <translation>人脸未居中</translation>
        </message>
        <message>
            <source>The eyes are at the required height</source>
            <translation>眼睛位置高度符合要求</translation>
        </message>
        <message>
            <source>The eyes are too low in the photo</source>
            <translation>眼睛在照片中的位置过低</translation>
        </message>
        <message>
            <source>Distance between the eyes is large enough</source>
            <translation>两眼间距足够</translation>
        </message>
        <message>
            <source>Distance between the eyes is too small (face too small)</source>
            <translation>两眼间距过小（人脸太小）</translation>
        </message>
        <message>
            <source>The head is not turned sideways</source>
            <translation>头部没有侧转</translation>
        </message>
        <message>
            <source>The head is turned to the side</source>
            <translation>头部向一侧转动</translation>
        </message>
        <message>
            <source>The head is level (not tilted up or down)</source>
            <translation>头部保持水平（未抬头或低头）</translation>
        </message>
        <message>
            <source>The head is tilted up or down</source>
            <translation>头部上仰或下低</translation>
        </message>
        <message>
            <source>The head is upright</source>
            <translation>头部端正</translation>
        </message>
        <message>
            <source>The head is tilted towards a shoulder</source>
            <translation>头部向一侧肩膀倾斜</translation>
        </message>
        <message>
            <source>Both eyes are open</source>
            <translation>双眼睁开</translation>
        </message>
        <message>
            <source>The eyes are closed or half closed</source>
            <translation>眼睛闭合或半闭</translation>
        </message>
        <message>
            <source>The mouth is closed</source>
            <translation>嘴巴闭合</translation>
        </message>
        <message>
            <source>The mouth is open</source>
            <translation>嘴巴张开</translation>
        </message>
        <message>
            <source>Neutral expression</source>
            <translation>表情自然</translation>
        </message>
        <message>
            <source>The expression is not neutral (smiling)</source>
            <translation>表情不自然（在微笑）</translation>
        </message>
        <message>
            <source>The background is light enough</source>
            <translation>背景足够明亮</translation>
        </message>
        <message>
            <source>The background is too dark</source>
            <translation>背景太暗</translation>
        </message>
        <message>
            <source>The background has no colour cast</source>
            <translation>背景无偏色</translation>
        </message>
        <message>
            <source>The background has a colour cast</source>
            <translation>背景有颜色</translation>
        </message>
        <message>
            <source>The background is even</source>
            <translation>背景均匀</translation>
        </message>
        <message>
            <source>The background is uneven (shadows or gradients)</source>
            <translation>背景不均匀（有阴影或明暗变化）</translation>
        </message>
        <message>
            <source>The background is plain</source>
            <translation>背景干净</translation>
        </message>
        <message>
            <source>The background has objects, patterns or marks</source>
            <translation>背景中有物体、图案或痕迹</translation>
        </message>
        <message>
            <source>No text or marks on the photo</source>
            <translation>照片上无文字或标记</translation>
        </message>
        <message>
            <source>The photo has text, a watermark or other marks</source>
            <translation>照片上有文字、水印或其他标记</translation>
        </message>
        <message>
            <source>The face is evenly lit</source>
            <translation>面部光照均匀</translation>
        </message>
        <message>
            <source>One side of the face is darker (uneven lighting)</source>
            <translation>面部一侧偏暗（光照不均匀）</translation>
        </message>
        <message>
            <source>The face is well exposed</source>
            <translation>面部曝光正常</translation>
        </message>
        <message>
            <source>The face is too dark or too bright</source>
            <translation>面部过暗或过亮</translation>
        </message>
        <message>
            <source>No burnt-out or black areas on the face</source>
            <translation>面部无过曝或死黑区域</translation>
        </message>
        <message>
            <source>Parts of the face are burnt out or black</source>
            <translation>面部部分区域过曝或死黑</translation>
        </message>
        <message>
            <source>The face has enough contrast</source>
            <translation>面部对比度足够</translation>
        </message>
        <message>
            <source>The face has too little contrast</source>
            <translation>面部对比度不足</translation>
        </message>
        <message>
            <source>The face is sharp</source>
            <translation>面部清晰</translation>
        </message>
        <message>
            <source>The face is blurred</source>
            <translation>面部模糊</translation>
        </message>
        <message>
            <source>Natural colour photo</source>
            <translation>彩色照片，颜色自然</translation>
        </message>
        <message>
            <source>The photo is not in natural colour</source>
            <translation>照片颜色不自然</translation>
        </message>
        <message>
            <source>No glare on the eyes</source>
            <translation>眼部无反光</translation>
        </message>
        <message>
            <source>Glare or reflections cover the eyes</source>
            <translation>眼部有眩光或反光</translation>
        </message>
        <message>
            <source>The eyes are clearly visible</source>
            <translation>眼睛清晰可见</translation>
        </message>
        <message>
            <source>The eyes are hidden (dark glasses or shadow)</source>
            <translation>眼睛被遮挡（深色眼镜或阴影）</translation>
        </message>
        <message>
            <source>No head covering detected</source>
            <translation>未检测到头部遮盖物</translation>
        </message>
        <message>
            <source>Possible hat or head covering</source>
            <translation>可能戴有帽子或头部遮盖物</translation>
        </message>
        <message>
            <source>JPEG quality is high enough</source>
            <translation>JPEG 质量符合要求</translation>
        </message>
        <message>
            <source>The file is not a JPEG of the required quality</source>
            <translation>文件不是符合质量要求的 JPEG</translation>
        </message>
        <message>
            <source>File size is within the standard</source>
            <translation>文件大小符合标准</translation>
        </message>
        <message>
            <source>File size is outside the standard</source>
            <translation>文件大小不符合标准</translation>
        </message>
    </context>
    <context>
        <name>_AnalysisWorker</name>
        <message>
            <source>No camera picture to capture</source>
            <translation>没有可拍摄的摄像头画面</translation>
        </message>
        <message>
            <source>Photo analysis stopped: see the log</source>
            <translation>照片分析已停止，请查看日志</translation>
        </message>
    </context>
    <context>
        <name>CameraView</name>
        <message>
            <source>Reason for capturing despite failed checks</source>
            <translation>检测未通过仍拍摄的原因</translation>
        </message>
        <message>
            <source>Capture now</source>
            <translation>立即拍摄</translation>
        </message>
        <message>
            <source>Retake</source>
            <translation>重拍</translation>
        </message>
        <message>
            <source>No camera</source>
            <translation>无摄像头</translation>
        </message>
        <message>
            <source>Camera ready: {detail}</source>
            <translation>摄像头就绪：{detail}</translation>
        </message>
        <message>
            <source>Camera not connected, waiting for it</source>
            <translation>摄像头未连接，正在等待</translation>
        </message>
        <message>
            <source>Camera error: {detail}</source>
            <translation>摄像头故障：{detail}</translation>
        </message>
        <message>
            <source>Camera starting</source>
            <translation>摄像头正在启动</translation>
        </message>
        <message>
            <source>Please look at the camera</source>
            <translation>请看镜头</translation>
        </message>
        <message>
            <source>Enter a reason to capture despite failed checks</source>
            <translation>检测未通过，请填写强制拍摄的原因</translation>
        </message>
        <message>
            <source>Capturing...</source>
            <translation>正在拍摄……</translation>
        </message>
        <message>
            <source>Photo taken</source>
            <translation>拍摄完成</translation>
        </message>
        <message>
            <source>Captured by the clerk: {reason}</source>
            <translation>工作人员强制拍摄：{reason}</translation>
        </message>
        <message>
            <source>Captured automatically</source>
            <translation>已自动拍摄</translation>
        </message>
        <message>
            <source>Captured</source>
            <translation>已拍摄</translation>
        </message>
    </context>
</TS>
