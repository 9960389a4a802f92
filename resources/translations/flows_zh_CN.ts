<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>AgreementStep</name>
        <message>
            <source>Power of attorney</source>
            <translation>授权委托书</translation>
        </message>
        <message>
            <source>Agreement and signature</source>
            <translation>协议与签名</translation>
        </message>
        <message>
            <source>Ask the applicant to read the text and sign below. Version {v}.</source>
            <translation>请申请人阅读以下内容并在下方签名。版本 {v}。</translation>
        </message>
        <message>
            <source>Signing was cancelled or timed out. Ask the applicant to sign again.</source>
            <translation>签名已取消或超时，请申请人重新签名。</translation>
        </message>
        <message>
            <source>Enter accepts the signature, Delete clears it, Esc cancels the case.</source>
            <translation>按 Enter 确认签名，按 Delete 清除签名，按 Esc 取消本业务。</translation>
        </message>
    </context>
    <context>
        <name>DocumentStep</name>
        <message>
            <source>Identity document</source>
            <translation>身份证件</translation>
        </message>
        <message>
            <source>Agent's ID</source>
            <translation>经办人证件</translation>
        </message>
        <message>
            <source>ID card (reader)</source>
            <translation>身份证（阅读器）</translation>
        </message>
        <message>
            <source>Passport / permit</source>
            <translation>护照/通行证</translation>
        </message>
        <message>
            <source>Manual entry</source>
            <translation>手工录入</translation>
        </message>
        <message>
            <source>Use this card (Ctrl+Enter)</source>
            <translation>使用此证件（Ctrl+Enter）</translation>
        </message>
        <message>
            <source>Identity document of {name} carried over; confirm to continue.</source>
            <translation>已带入 {name} 的身份证件信息，请确认后继续。</translation>
        </message>
        <message>
            <source>Place the card on the reader, or use manual entry.</source>
            <translation>请将证件放在阅读器上，或使用手工录入。</translation>
        </message>
    </context>
    <context>
        <name>ManualEntryForm</name>
        <message>
            <source>Use manual entry only when the card cannot be read. The case will be reviewed by a supervisor.</source>
            <translation>仅在证件无法读取时使用手工录入。该业务将提交审核员审核。</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Citizen ID number</source>
            <translation>公民身份号码</translation>
        </message>
        <message>
            <source>Sex</source>
            <translation>性别</translation>
        </message>
        <message>
            <source>Ethnicity</source>
            <translation>民族</translation>
        </message>
        <message>
            <source>Date of birth</source>
            <translation>出生日期</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>住址</translation>
        </message>
        <message>
            <source>Issuing authority</source>
            <translation>签发机关</translation>
        </message>
        <message>
            <source>Valid from</source>
            <translation>有效期起</translation>
        </message>
        <message>
            <source>Valid until</source>
            <translation>有效期止</translation>
        </message>
        <message>
            <source>Male</source>
            <translation>男</translation>
        </message>
        <message>
            <source>Female</source>
            <translation>女</translation>
        </message>
        <message>
            <source>No expiry (长期)</source>
            <translation>长期有效</translation>
        </message>
        <message>
            <source>Use these details</source>
            <translation>使用以上信息</translation>
        </message>
        <message>
            <source>Enter the name as printed on the card.</source>
            <translation>请按证件上的姓名填写。</translation>
        </message>
    </context>
    <context>
        <name>ManualEntry</name>
        <message>
            <source>The birth date does not match the ID number.</source>
            <translation>出生日期与身份证号码不一致。</translation>
        </message>
        <message>
            <source>The sex does not match the ID number.</source>
            <translation>性别与身份证号码不一致。</translation>
        </message>
    </context>
    <context>
        <name>OrganisationStep</name>
        <message>
            <source>Organisation</source>
            <translation>单位信息</translation>
        </message>
        <message>
            <source>Registered name</source>
            <translation>单位登记名称</translation>
        </message>
        <message>
            <source>Unified social credit code</source>
            <translation>统一社会信用代码</translation>
        </message>
        <message>
            <source>18 characters, or a 9-character organisation code</source>
            <translation>18 位统一社会信用代码，或 9 位组织机构代码</translation>
        </message>
        <message>
            <source>Save and continue</source>
            <translation>保存并继续</translation>
        </message>
        <message>
            <source>Check the code: it must pass its check character.</source>
            <translation>请核对代码：校验位不正确。</translation>
        </message>
    </context>
    <context>
        <name>PhoneStep</name>
        <message>
            <source>Mobile number</source>
            <translation>手机号码</translation>
        </message>
        <message>
            <source>SMS code</source>
            <translation>短信验证码</translation>
        </message>
        <message>
            <source>Send code</source>
            <translation>发送验证码</translation>
        </message>
        <message>
            <source>Verify and continue</source>
            <translation>验证并继续</translation>
        </message>
        <message>
            <source>Continue without SMS (case will be reviewed)</source>
            <translation>不经短信验证继续（将转人工审核）</translation>
        </message>
        <message>
            <source>The applicant's own mobile number receives the 12123 account messages. Send a verification code and type the code the applicant reads out.</source>
            <translation>请填写申请人本人的手机号码，用于接收交管12123账户消息。发送验证码后，输入申请人读出的验证码。</translation>
        </message>
        <message>
            <source>SMS is not available at this station: continue without SMS.</source>
            <translation>本工作站暂不能发送短信，请不经短信验证继续。</translation>
        </message>
        <message>
            <source>Code sent to {phone}.</source>
            <translation>验证码已发送至 {phone}。</translation>
        </message>
        <message>
            <source>The code could not be sent: {reason}</source>
            <translation>验证码发送失败：{reason}</translation>
        </message>
        <message>
            <source>Resend in {s} s</source>
            <translation>{s} 秒后重新发送</translation>
        </message>
        <message>
            <source>Enter a valid mainland mobile number.</source>
            <translation>请输入有效的大陆手机号码。</translation>
        </message>
        <message>
            <source>Send a code first, or continue without SMS.</source>
            <translation>请先发送验证码，或不经短信验证继续。</translation>
        </message>
        <message>
            <source>The code is wrong or has expired. Check it with the applicant.</source>
            <translation>验证码错误或已过期，请与申请人核对。</translation>
        </message>
        <message>
            <source>Type the {n}-digit code from the SMS.</source>
            <translation>请输入短信中的 {n} 位验证码。</translation>
        </message>
    </context>
    <context>
        <name>PhotoStep</name>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Switch to manual review</source>
            <translation>转人工审核</translation>
        </message>
        <message>
            <source>E-licence photo</source>
            <translation>电子驾驶证照片</translation>
        </message>
        <message>
            <source>Live photo</source>
            <translation>现场照片</translation>
        </message>
        <message>
            <source>Not saved: {reason}</source>
            <translation>未保存：{reason}</translation>
        </message>
        <message>
            <source>Comparing with the chip photo…</source>
            <translation>正在与芯片照片比对……</translation>
        </message>
        <message>
            <source>The chip photo is not available: no face match. A supervisor will review the case.</source>
            <translation>无法获取芯片照片，未进行人脸比对，该业务将由审核员审核。</translation>
        </message>
        <message>
            <source>No face found for the comparison: {reason}</source>
            <translation>比对时未检测到人脸：{reason}</translation>
        </message>
        <message>
            <source>Face match score {score:.0f} (pass mark {threshold:.0f}): {verdict}</source>
            <translation>人脸比对得分 {score:.0f}（合格线 {threshold:.0f}）：{verdict}</translation>
        </message>
        <message>
            <source>same person</source>
            <translation>同一人</translation>
        </message>
        <message>
            <source>NOT a match</source>
            <translation>比对不通过</translation>
        </message>
        <message>
            <source>Face recognition failed {n} times. Switch to a manual review submission (ID card photos and a live photo go to a supervisor).</source>
            <translation>人脸识别已失败 {n} 次。请转为人工审核申请（身份证正反面照片和现场照片提交审核员）。</translation>
        </message>
        <message>
            <source>Retake the photo, or continue and the case will be reviewed.</source>
            <translation>请重新拍照，或继续办理（将转人工审核）。</translation>
        </message>
        <message>
            <source>Capture a photo first.</source>
            <translation>请先拍摄照片。</translation>
        </message>
        <message>
            <source>Capture now (F5)</source>
            <translation>立即拍摄 (F5)</translation>
        </message>
        <message>
            <source>Retake (F6)</source>
            <translation>重拍 (F6)</translation>
        </message>
    </context>
    <context>
        <name>ReviewStep</name>
        <message>
            <source>Submit (Enter)</source>
            <translation>提交（Enter）</translation>
        </message>
        <message>
            <source>Next applicant</source>
            <translation>下一位</translation>
        </message>
        <message>
            <source>Submit</source>
            <translation>提交</translation>
        </message>
        <message>
            <source>Applicant: {name}</source>
            <translation>申请人：{name}</translation>
        </message>
        <message>
            <source>Organisation: {name}</source>
            <translation>单位：{name}</translation>
        </message>
        <message>
            <source>Face match score: {score:.0f} (threshold {threshold:.0f})</source>
            <translation>人脸比对得分：{score:.0f}（合格线 {threshold:.0f}）</translation>
        </message>
        <message>
            <source>Will be reviewed by a supervisor because:</source>
            <translation>将提交审核员审核，原因：</translation>
        </message>
        <message>
            <source>No review needed: the registration completes now.</source>
            <translation>无需审核：提交后即完成注册。</translation>
        </message>
        <message>
            <source>Submitted as {number}. A supervisor will decide by {due}.</source>
            <translation>已提交，业务编号 {number}。审核员将于 {due} 前作出决定。</translation>
        </message>
        <message>
            <source>Registration {number} is complete.</source>
            <translation>注册 {number} 已完成。</translation>
        </message>
    </context>
    <context>
        <name>Scans</name>
        <message>
            <source>Business licence</source>
            <translation>营业执照</translation>
        </message>
        <message>
            <source>Power of attorney</source>
            <translation>授权委托书</translation>
        </message>
        <message>
            <source>Agent's ID card, front</source>
            <translation>经办人身份证人像面</translation>
        </message>
        <message>
            <source>Agent's ID card, back</source>
            <translation>经办人身份证国徽面</translation>
        </message>
        <message>
            <source>ID card, front (portrait side)</source>
            <translation>身份证人像面</translation>
        </message>
        <message>
            <source>ID card, back (emblem side)</source>
            <translation>身份证国徽面</translation>
        </message>
    </context>
    <context>
        <name>ScanSlot</name>
        <message>
            <source>Capture with camera</source>
            <translation>用摄像头拍摄</translation>
        </message>
        <message>
            <source>Import file…</source>
            <translation>导入文件……</translation>
        </message>
    </context>
    <context>
        <name>ScansStep</name>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>材料采集</translation>
        </message>
        <message>
            <source>Saved earlier.</source>
            <translation>已保存。</translation>
        </message>
        <message>
            <source>The camera has no picture yet. Check the camera, or import a file.</source>
            <translation>摄像头暂无画面，请检查摄像头或导入文件。</translation>
        </message>
        <message>
            <source>Images (*.jpg *.jpeg *.png *.bmp *.tif)</source>
            <translation>图片 (*.jpg *.jpeg *.png *.bmp *.tif)</translation>
        </message>
        <message>
            <source>Page captured.</source>
            <translation>材料已采集。</translation>
        </message>
        <message>
            <source>This file cannot be used: {reason}</source>
            <translation>该文件无法使用：{reason}</translation>
        </message>
        <message>
            <source>Still to capture: {items}</source>
            <translation>尚需采集：{items}</translation>
        </message>
    </context>
    <context>
        <name>FlowWizard</name>
        <message>
            <source>Not saved: {reason}</source>
            <translation>未保存：{reason}</translation>
        </message>
        <message>
            <source>Cancel this case?</source>
            <translation>取消本业务？</translation>
        </message>
        <message>
            <source>The personal data captured so far will be deleted. Cancel the case?</source>
            <translation>已采集的个人信息将被删除。确定取消本业务吗？</translation>
        </message>
        <message>
            <source>{kind} · case {number}</source>
            <translation>{kind} · 业务编号 {number}</translation>
        </message>
        <message>
            <source>Cancel case (Esc)</source>
            <translation>取消业务（Esc）</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>上一步</translation>
        </message>
        <message>
            <source>Resubmission of returned case {number}. Supervisor's note: {note}</source>
            <translation>补充材料重新提交：被退回业务 {number}。审核意见：{note}</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
    </context>
    <context>
        <name>RegistrationPage</name>
        <message>
            <source>New registration</source>
            <translation>新建业务</translation>
        </message>
        <message>
            <source>Interrupted cases (double-click to continue)</source>
            <translation>未完成的业务（双击继续办理）</translation>
        </message>
        <message>
            <source>A case is in progress</source>
            <translation>有正在办理的业务</translation>
        </message>
        <message>
            <source>Finish or cancel the case in progress first, then resubmit the returned case.</source>
            <translation>请先完成或取消正在办理的业务，再重新提交被退回的业务。</translation>
        </message>
        <message>
            <source>Cannot resubmit</source>
            <translation>无法重新提交</translation>
        </message>
    </context>
    <context>
        <name>Navigation</name>
        <message>
            <source>New registration</source>
            <translation>新建业务</translation>
        </message>
    </context>
    <context>
        <name>OtherCasesNotice</name>
        <message>
            <source>Asking the central service whether this person has other cases…</source>
            <translation>正在向中心服务查询此人是否有其他业务……</translation>
        </message>
        <message>
            <source>No other open or recent case of this person.</source>
            <translation>此人没有其他未办结或近期的业务。</translation>
        </message>
        <message>
            <source>Attention: this person already has {n} open case(s). Check with the applicant before submitting another.</source>
            <translation>注意：此人已有 {n} 笔未办结的业务。提交新业务前请与申请人核实。</translation>
        </message>
        <message>
            <source>This person had other cases in the last 30 days:</source>
            <translation>此人近 30 天内办理过其他业务：</translation>
        </message>
        <message>
            <source>{number} · {kind} · {state} · received {time}</source>
            <translation>{number} · {kind} · {state} · 受理于 {time}</translation>
        </message>
        <message>
            <source>… and {n} more</source>
            <translation>……另有 {n} 笔</translation>
        </message>
        <message>
            <source>The central service cannot be reached: other cases of this person were not checked. You can submit; the supervisor will see them.</source>
            <translation>无法连接中心服务：未能查询此人的其他业务。仍可提交，审核民警会看到。</translation>
        </message>
    </context>
</TS>
