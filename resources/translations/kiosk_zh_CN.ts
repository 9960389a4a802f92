<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>CardScreen</name>
        <message>
            <source>Please place your second-generation ID card flat on the reader below the screen and leave it there until you hear the beep.</source>
            <translation>请将您的二代居民身份证平放在屏幕下方的读卡器上，听到“嘀”声前请不要拿开。</translation>
        </message>
        <message>
            <source>ID card
on the reader</source>
            <translation>请放置
身份证</translation>
        </message>
        <message>
            <source>Back to start</source>
            <translation>返回首页</translation>
        </message>
        <message>
            <source>Reading your card, please keep it still…</source>
            <translation>正在读取身份证，请不要移动…</translation>
        </message>
        <message>
            <source>Thank you, {name}. Your card has been read.</source>
            <translation>谢谢您，{name}。身份证已读取成功。</translation>
        </message>
        <message>
            <source>your ID card</source>
            <translation>读取身份证</translation>
        </message>
        <message>
            <source>Please check that this is your card, then touch "Continue".</source>
            <translation>请核对这是您本人的身份证，然后点击“继续”。</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>long-term</source>
            <translation>长期</translation>
        </message>
        <message>
            <source>Name: {name}</source>
            <translation>姓名：{name}</translation>
        </message>
        <message>
            <source>ID number: {number}</source>
            <translation>证件号码：{number}</translation>
        </message>
        <message>
            <source>Valid until: {date}</source>
            <translation>有效期至：{date}</translation>
        </message>
    </context>
    <context>
        <name>LivenessScreen</name>
        <message>
            <source>Look at the camera and follow the instruction. This shows it is really you standing here. (Try {attempt} of {total})</source>
            <translation>请看着摄像头，按提示做动作，以确认是您本人在办理。（第 {attempt} 次，共 {total} 次）</translation>
        </message>
        <message>
            <source>Please look straight at the camera</source>
            <translation>请正视摄像头</translation>
        </message>
        <message>
            <source>Getting the camera ready…</source>
            <translation>正在准备摄像头…</translation>
        </message>
        <message>
            <source> · {s} seconds left</source>
            <translation> · 剩余 {s} 秒</translation>
        </message>
        <message>
            <source>Action {n} of {total}</source>
            <translation>动作 {n} / {total}</translation>
        </message>
        <message>
            <source>Hold still and look at the camera</source>
            <translation>请保持不动，看着摄像头</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>再试一次</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Let's try that once more</source>
            <translation>我们再试一次</translation>
        </message>
        <message>
            <source>a quick live check</source>
            <translation>活体检测</translation>
        </message>
    </context>
    <context>
        <name>PhoneScreen</name>
        <message>
            <source>Type the mobile number registered in your name. The 12123 service sends its messages to this number.</source>
            <translation>请输入以您本人身份证登记的手机号码，交管12123的通知将发送到这个号码。</translation>
        </message>
        <message>
            <source>11 digits</source>
            <translation>11位数字</translation>
        </message>
        <message>
            <source>Confirm</source>
            <translation>确认</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>your mobile number</source>
            <translation>填写手机号码</translation>
        </message>
    </context>
    <context>
        <name>SignScreen</name>
        <message>
            <source>Please read the user agreement, then sign with your finger in the white box and touch Accept.</source>
            <translation>请阅读用户协议，然后用手指在白色框内签名，再点击“确认”。</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>read and sign</source>
            <translation>阅读协议并签名</translation>
        </message>
    </context>
    <context>
        <name>KioskPhotoGuidance</name>
        <message>
            <source>Please come one small step closer to the camera.</source>
            <translation>请再向摄像头靠近一小步。</translation>
        </message>
        <message>
            <source>Please take off your glasses for the photo.</source>
            <translation>拍照时请您摘下眼镜。</translation>
        </message>
        <message>
            <source>Please look straight into the camera, as if you were looking at a friend.</source>
            <translation>请像看着朋友一样，正视摄像头。</translation>
        </message>
        <message>
            <source>Please stand in front of the white background.</source>
            <translation>请站在白色背景前。</translation>
        </message>
        <message>
            <source>Only one person in the picture, please. Could anyone with you step aside for a moment?</source>
            <translation>画面里只能有一个人哦，请陪同的人暂时让开一下。</translation>
        </message>
        <message>
            <source>Please move a little so that your face is in the middle of the picture.</source>
            <translation>请稍微移动一下，让脸位于画面中间。</translation>
        </message>
        <message>
            <source>Please take one small step back from the camera.</source>
            <translation>请向后退一小步。</translation>
        </message>
        <message>
            <source>Please take off your hat or cap for the photo.</source>
            <translation>拍照时请您摘下帽子。</translation>
        </message>
        <message>
            <source>Please keep your chin level, neither up nor down.</source>
            <translation>请保持下巴水平，不要抬头或低头。</translation>
        </message>
        <message>
            <source>Please hold your head straight, without tilting it.</source>
            <translation>请把头摆正，不要歪着。</translation>
        </message>
        <message>
            <source>Please keep your eyes open and look at the camera.</source>
            <translation>请睁开眼睛，看着摄像头。</translation>
        </message>
        <message>
            <source>Please close your mouth gently.</source>
            <translation>请轻轻闭上嘴巴。</translation>
        </message>
        <message>
            <source>Please keep a calm, relaxed face, without smiling.</source>
            <translation>请保持自然放松的表情，不要笑。</translation>
        </message>
        <message>
            <source>Please hold still for a moment.</source>
            <translation>请保持不动，稍等片刻。</translation>
        </message>
        <message>
            <source>Please make sure nothing covers your face.</source>
            <translation>请确保脸部没有被遮挡。</translation>
        </message>
    </context>
    <context>
        <name>KioskCameraView</name>
        <message>
            <source>Please stand in front of the camera and look into it. We take the photo for you.</source>
            <translation>请站到摄像头前并看着它，我们会自动为您拍照。</translation>
        </message>
        <message>
            <source>Perfect, please hold still. Taking your photo…</source>
            <translation>非常好，请保持不动，正在拍照…</translation>
        </message>
        <message>
            <source>Done! Your photo is on the right. If you like it, touch "Use this photo".</source>
            <translation>拍好了！照片显示在右边，满意的话请点击“使用这张照片”。</translation>
        </message>
    </context>
    <context>
        <name>PhotoScreen</name>
        <message>
            <source>Stand about half a metre from the camera. Follow the sentence at the top; the photo is taken by itself when everything is right.</source>
            <translation>请站在离摄像头约半米的地方，按上方的提示调整，一切合适时会自动拍照。</translation>
        </message>
        <message>
            <source>Use this photo</source>
            <translation>使用这张照片</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Take it again</source>
            <translation>重新拍摄</translation>
        </message>
        <message>
            <source>your e-licence photo</source>
            <translation>拍摄电子驾驶证照片</translation>
        </message>
    </context>
    <context>
        <name>ScanScreen</name>
        <message>
            <source>Hold the FRONT of your ID card (the side with your photo) up to the camera, close enough to fill most of the picture, then touch the button.</source>
            <translation>请把身份证【人像面】对准摄像头，尽量让证件占满画面，然后点击按钮。</translation>
        </message>
        <message>
            <source>Now turn the card over: hold the BACK (the side with the national emblem) up to the camera, then touch the button.</source>
            <translation>请把身份证翻过来，把【国徽面】对准摄像头，然后点击按钮。</translation>
        </message>
        <message>
            <source>Last, a photo of you: put the card away, look straight at the camera and touch the button.</source>
            <translation>最后拍一张您本人的照片：请收好身份证，正视摄像头，然后点击按钮。</translation>
        </message>
        <message>
            <source>Take the photo</source>
            <translation>拍照</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>photos for a staff member to check</source>
            <translation>拍摄照片，由工作人员审核</translation>
        </message>
    </context>
    <context>
        <name>DoneScreen</name>
        <message>
            <source>Done, thank you!</source>
            <translation>办理完成，谢谢！</translation>
        </message>
        <message>
            <source>Please take your ID card and your receipt with you.</source>
            <translation>请带好您的身份证和回执。</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>Please take your ID card with you.</source>
            <translation>请带好您的身份证。</translation>
        </message>
        <message>
            <source>Print my receipt</source>
            <translation>打印回执</translation>
        </message>
    </context>
    <context>
        <name>AttractScreen</name>
        <message>
            <source>Traffic police self-service terminal</source>
            <translation>公安交管自助服务终端</translation>
        </message>
        <message>
            <source>Welcome! Touch a button to begin.</source>
            <translation>欢迎！请点击下方按钮开始办理。</translation>
        </message>
        <message>
            <source>Register for 12123
(ID card and face check)</source>
            <translation>交管12123注册
（身份证 + 人脸核验）</translation>
        </message>
        <message>
            <source>Take my e-licence photo</source>
            <translation>拍摄电子驾驶证照片</translation>
        </message>
        <message>
            <source>Have your ID card ready. The terminal guides you step by step. If you stop, everything you entered is deleted after a short while.</source>
            <translation>请准备好您的身份证，终端会一步一步引导您。如果中途离开，您填写的所有信息会在片刻后自动删除。</translation>
        </message>
        <message>
            <source>12123 traffic service · Register on your own in a few minutes</source>
            <translation>交管12123 · 几分钟即可自助完成注册</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <source>Sorry, this terminal is temporarily out of service</source>
            <translation>抱歉，本终端暂停服务</translation>
        </message>
        <message>
            <source>Please go to a service window, where a staff member will help you. The terminal starts again by itself as soon as the problem is fixed.</source>
            <translation>请到服务窗口办理，工作人员会为您提供帮助。故障排除后，本终端会自动恢复服务。</translation>
        </message>
        <message>
            <source>For staff: {detail}</source>
            <translation>供工作人员参考：{detail}</translation>
        </message>
    </context>
    <context>
        <name>AdminScreen</name>
        <message>
            <source>Signed in as {name}.</source>
            <translation>已登录：{name}。</translation>
        </message>
        <message>
            <source>Staff only</source>
            <translation>仅限工作人员</translation>
        </message>
        <message>
            <source>Enter the password of a station administrator.</source>
            <translation>请输入本站管理员的密码。</translation>
        </message>
        <message>
            <source>Confirm</source>
            <translation>确认</translation>
        </message>
        <message>
            <source>Back to the terminal</source>
            <translation>返回终端</translation>
        </message>
        <message>
            <source>Exit kiosk mode</source>
            <translation>退出自助模式</translation>
        </message>
    </context>
    <context>
        <name>IdleWarning</name>
        <message>
            <source>Are you still there?</source>
            <translation>您还在吗？</translation>
        </message>
        <message>
            <source>For your privacy, everything you entered will be deleted in {n} seconds. Touch the screen to continue.</source>
            <translation>为保护您的隐私，您填写的所有信息将在 {n} 秒后删除。如需继续，请触摸屏幕。</translation>
        </message>
        <message>
            <source>I am still here</source>
            <translation>我还在，继续办理</translation>
        </message>
    </context>
    <context>
        <name>KioskSession</name>
        <message>
            <source>Sorry, something went wrong: {reason}. Please try again or ask at the service window.</source>
            <translation>抱歉，出现了问题：{reason}。请重试，或到服务窗口咨询。</translation>
        </message>
        <message>
            <source>The card could not be read: {reason} Please take it off and place it again.</source>
            <translation>身份证未能读取：{reason} 请拿起后重新放置。</translation>
        </message>
        <message>
            <source>Thank you! Comparing your face with your ID card…</source>
            <translation>谢谢！正在将您的人脸与身份证照片比对…</translation>
        </message>
        <message>
            <source>Your face did not match the photo on your ID card clearly enough.</source>
            <translation>您的人脸与身份证照片比对未通过。</translation>
        </message>
        <message>
            <source>{why} Don't worry, let's try again: touch "Try again" when you are ready. ({left} tries left)</source>
            <translation>{why} 别担心，准备好后请点击“再试一次”。（还可尝试 {left} 次）</translation>
        </message>
        <message>
            <source>It's you!</source>
            <translation>核验通过！</translation>
        </message>
        <message>
            <source>Your face matches the photo on your ID card.</source>
            <translation>您的人脸与身份证照片一致。</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Live check passed</source>
            <translation>活体检测通过</translation>
        </message>
        <message>
            <source>The photo stored in your ID card cannot be read at this terminal, so we could not compare your face here. That is fine: a staff member will look at your registration and you do not need to do anything more.</source>
            <translation>本终端无法读取身份证芯片中的照片，所以这里无法进行人脸比对。没关系：工作人员会审核您的注册，您无需再做其他操作。</translation>
        </message>
        <message>
            <source>Let's do it another way</source>
            <translation>我们换一种方式办理</translation>
        </message>
        <message>
            <source>We could not confirm your face automatically. No problem: take photos of both sides of your ID card and one of yourself, and a staff member will check them for you.</source>
            <translation>系统未能自动核验您的人脸。没关系：请拍摄身份证正反面和一张本人照片，工作人员会为您人工审核。</translation>
        </message>
        <message>
            <source>The camera has no picture yet. Please wait a moment.</source>
            <translation>摄像头还没有画面，请稍等。</translation>
        </message>
        <message>
            <source>Got it, thank you.</source>
            <translation>拍好了，谢谢。</translation>
        </message>
        <message>
            <source>Your application number is {number}.</source>
            <translation>您的业务编号是 {number}。</translation>
        </message>
        <message>
            <source>A staff member will check it, usually by {due}. The 12123 app and a text message will tell you the result.</source>
            <translation>工作人员将进行审核，一般在 {due} 前完成。审核结果会通过交管12123 App 和短信通知您。</translation>
        </message>
        <message>
            <source>Your registration is complete.</source>
            <translation>您的注册已完成。</translation>
        </message>
        <message>
            <source>That took a little too long.</source>
            <translation>刚才的动作用时稍长了一点。</translation>
        </message>
        <message>
            <source>We lost sight of your face. Please stay in front of the camera.</source>
            <translation>摄像头看不到您的脸了，请保持在摄像头前。</translation>
        </message>
        <message>
            <source>More than one face was in the picture. Please do the check alone.</source>
            <translation>画面中出现了不止一张脸，请您单独进行检测。</translation>
        </message>
        <message>
            <source>We could not see you move. Please follow each instruction clearly.</source>
            <translation>没有检测到您的动作，请按提示清楚地做每个动作。</translation>
        </message>
        <message>
            <source>That was a different movement. Please watch the instruction at the top.</source>
            <translation>刚才做的动作与提示不一致，请留意上方的提示。</translation>
        </message>
        <message>
            <source>The face in the picture changed during the check.</source>
            <translation>检测过程中画面里的人脸发生了变化。</translation>
        </message>
        <message>
            <source>The camera check could not run.</source>
            <translation>摄像头检测未能进行。</translation>
        </message>
        <message>
            <source>We could not see the whole card. Please hold it a little closer, with all four edges inside the picture, and touch the button again.</source>
            <translation>没能看清整张证件。请把证件拿近一点，让四条边都在画面内，然后再点一次按钮。</translation>
        </message>
        <message>
            <source>This ID card is not valid today (valid until {date}), so it cannot be used at this terminal. Please take it to a service window, where the staff can help you.</source>
            <translation>这张身份证今天不在有效期内（有效期至{date}），无法在本终端办理。请到服务窗口，工作人员会为您办理。</translation>
        </message>
    </context>
    <context>
        <name>KeyPad</name>
        <message>
            <source>Clear</source>
            <translation>清空</translation>
        </message>
    </context>
    <context>
        <name>KioskWindow</name>
        <message>
            <source>The ID card reader</source>
            <translation>身份证阅读器</translation>
        </message>
        <message>
            <source>The camera</source>
            <translation>摄像头</translation>
        </message>
        <message>
            <source>The signature pad</source>
            <translation>签名板</translation>
        </message>
        <message>
            <source>{device} is not connected.</source>
            <translation>{device}未连接。</translation>
        </message>
        <message>
            <source>{device} is not set up on this terminal.</source>
            <translation>本终端未配置{device}。</translation>
        </message>
        <message>
            <source>{device} reports a fault.</source>
            <translation>{device}出现故障。</translation>
        </message>
        <message>
            <source>Too many wrong passwords. The pad is locked for {n} minutes.</source>
            <translation>密码错误次数过多，已锁定 {n} 分钟。</translation>
        </message>
        <message>
            <source>The password could not be checked.</source>
            <translation>无法验证密码。</translation>
        </message>
        <message>
            <source>The administrator could not be set up: {error}</source>
            <translation>未能设置管理员：{error}</translation>
        </message>
    </context>
    <context>
        <name>Kiosk</name>
        <message>
            <source>Self-service terminal</source>
            <translation>自助服务终端</translation>
        </message>
    </context>
    <context>
        <name>KioskScreen</name>
        <message>
            <source>Step {n}: {title}</source>
            <translation>第{n}步：{title}</translation>
        </message>
    </context>
    <context>
        <name>KioskSetupScreen</name>
        <message>
            <source>First start: the terminal's administrator</source>
            <translation>首次启动：设置终端管理员</translation>
        </message>
        <message>
            <source>Only an administrator can leave kiosk mode. An administrator of the central service signs in here once before the terminal serves anyone.</source>
            <translation>只有管理员才能退出自助终端模式。终端开始服务前，请中心服务的管理员在此登录一次。</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>Only an administrator can leave kiosk mode. Create the administrator account before the terminal serves anyone.</source>
            <translation>只有管理员才能退出自助终端模式。终端开始服务前，请先创建管理员账户。</translation>
        </message>
        <message>
            <source>Create administrator</source>
            <translation>创建管理员</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Full name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Confirm password</source>
            <translation>确认密码</translation>
        </message>
        <message>
            <source>Enter the user name and the password.</source>
            <translation>请输入用户名和密码。</translation>
        </message>
        <message>
            <source>The two passwords differ.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
    </context>
    <context>
        <name>CameraPreview</name>
        <message>
            <source>Waiting for the camera's picture…</source>
            <translation>正在等待摄像头画面…</translation>
        </message>
    </context>
</TS>
