<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Receipt</name>
        <message>
            <source>Reprinted: {time}</source>
            <translation>补打时间：{time}</translation>
        </message>
        <message>
            <source>E-licence photo</source>
            <translation>电子驾驶证照片</translation>
        </message>
        <message>
            <source>Approved after review</source>
            <translation>审核通过</translation>
        </message>
        <message>
            <source>Not approved</source>
            <translation>审核未通过</translation>
        </message>
        <message>
            <source>More information needed</source>
            <translation>需补充材料</translation>
        </message>
        <message>
            <source>Legal representative</source>
            <translation>法定代表人</translation>
        </message>
        <message>
            <source>Power of attorney version</source>
            <translation>授权委托书版本</translation>
        </message>
        <message>
            <source>Submitted at</source>
            <translation>提交时间</translation>
        </message>
        <message>
            <source>Review decided at</source>
            <translation>审核完成时间</translation>
        </message>
        <message>
            <source>The traffic-management office reviewed and approved the application.</source>
            <translation>公安交通管理部门已审核通过您的申请。</translation>
        </message>
        <message>
            <source>The traffic-management office reviewed the application and did not approve it. Ask at the counter for the reason.</source>
            <translation>公安交通管理部门审核后未通过您的申请，请到窗口咨询原因。</translation>
        </message>
        <message>
            <source>The traffic-management office needs more information. Come back to the counter with what was asked for; the case number stays the same reference.</source>
            <translation>公安交通管理部门需要您补充材料，请携带所需材料到窗口办理，咨询时请提供本受理编号。</translation>
        </message>
        <message>
            <source>Agent's signature</source>
            <translation>经办人签名</translation>
        </message>
        <message>
            <source>I, the agent, confirm that the information above is true and have signed the power of attorney of {organisation} (version {version}).</source>
            <translation>本人（经办人）确认以上信息真实有效，已签署{organisation}的授权委托书（版本 {version}）。</translation>
        </message>
        <message>
            <source>Agent's confirmation</source>
            <translation>经办人确认</translation>
        </message>
    </context>
    <context>
        <name>ReceiptSample</name>
        <message>
            <source>E-licence photos are checked by the licensing office</source>
            <translation>电子驾驶证照片由车管部门审核</translation>
        </message>
        <message>
            <source>Li Jianguo</source>
            <translation>李建国</translation>
        </message>
    </context>
    <context>
        <name>Workflow</name>
        <message>
            <source>Enter the legal representative's full name.</source>
            <translation>请填写法定代表人的姓名。</translation>
        </message>
        <message>
            <source>agent's live photo</source>
            <translation>经办人现场照片</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>Save the end-of-day report</source>
            <translation>保存业务日报</translation>
        </message>
        <message>
            <source>PDF documents (*.pdf)</source>
            <translation>PDF 文档 (*.pdf)</translation>
        </message>
        <message>
            <source>End-of-day report (PDF)…</source>
            <translation>业务日报（PDF）…</translation>
        </message>
        <message>
            <source>Open the report</source>
            <translation>打开日报</translation>
        </message>
        <message>
            <source>it cannot be written there ({reason})</source>
            <translation>无法保存到该位置（{reason}）</translation>
        </message>
    </context>
    <context>
        <name>_AnalysisWorker</name>
        <message>
            <source>No live camera picture to capture</source>
            <translation>摄像头没有实时画面，无法拍摄</translation>
        </message>
    </context>
    <context>
        <name>CameraView</name>
        <message>
            <source>No live picture from the camera</source>
            <translation>摄像头没有实时画面</translation>
        </message>
        <message>
            <source>The camera picture is lost: waiting for the camera</source>
            <translation>摄像头画面已中断，正在等待摄像头恢复</translation>
        </message>
        <message>
            <source>No live camera picture to capture</source>
            <translation>摄像头没有实时画面，无法拍摄</translation>
        </message>
    </context>
    <context>
        <name>SignatureCaptureWidget</name>
        <message>
            <source>The pad was disconnected in the middle of a stroke: that stroke was discarded. Please sign it again.</source>
            <translation>签名板在书写中途断开，该笔画已丢弃，请重新签写。</translation>
        </message>
        <message>
            <source>Please take the time to read the agreement; the signature is accepted after that.</source>
            <translation>请先仔细阅读协议内容，阅读时间到后签名将自动确认。</translation>
        </message>
    </context>
    <context>
        <name>Scans</name>
        <message>
            <source>No card edges were found in the picture.</source>
            <translation>图片中未找到证件边缘。</translation>
        </message>
        <message>
            <source>The picture does not have an ID card's proportions (85.6 × 54 mm).</source>
            <translation>图片的长宽比例与身份证（85.6 × 54 毫米）不符。</translation>
        </message>
    </context>
    <context>
        <name>DocumentStep</name>
        <message>
            <source>Why this document is used anyway</source>
            <translation>仍使用该证件的原因</translation>
        </message>
        <message>
            <source>Confirm and continue</source>
            <translation>确认并继续</translation>
        </message>
        <message>
            <source>This document is not valid before {date}.</source>
            <translation>该证件在 {date} 之前尚未生效。</translation>
        </message>
        <message>
            <source>This document expired on {date}.</source>
            <translation>该证件已于 {date} 过期。</translation>
        </message>
        <message>
            <source>To use it anyway, give the reason: it is recorded and a supervisor reviews the case.</source>
            <translation>如仍要使用，请填写原因：原因将被记录，业务将转人工审核。</translation>
        </message>
        <message>
            <source>Enter the reason for using an expired document.</source>
            <translation>请填写使用过期证件的原因。</translation>
        </message>
    </context>
    <context>
        <name>ScanSlot</name>
        <message>
            <source>Why this picture is kept anyway</source>
            <translation>仍保留该图片的原因</translation>
        </message>
        <message>
            <source>Keep with this reason</source>
            <translation>按此原因保留</translation>
        </message>
    </context>
    <context>
        <name>ScansStep</name>
        <message>
            <source>This does not look like an ID card. Capture it again, or keep it with a reason (a supervisor sees it).</source>
            <translation>该图片看起来不像身份证。请重新拍摄，或填写原因后保留（审核人员可见）。</translation>
        </message>
        <message>
            <source>Enter why this picture is kept although it does not look like an ID card.</source>
            <translation>请填写保留该图片（看起来不像身份证）的原因。</translation>
        </message>
        <message>
            <source>No live picture from the camera</source>
            <translation>摄像头没有实时画面</translation>
        </message>
    </context>
    <context>
        <name>OrganisationStep</name>
        <message>
            <source>Legal representative</source>
            <translation>法定代表人</translation>
        </message>
        <message>
            <source>As on the business licence; named in the power of attorney</source>
            <translation>与营业执照一致，将写入授权委托书</translation>
        </message>
        <message>
            <source>Enter the legal representative named on the business licence.</source>
            <translation>请填写营业执照上的法定代表人。</translation>
        </message>
    </context>
    <context>
        <name>PhoneStep</name>
        <message>
            <source>Why without SMS (e.g. the applicant's phone has no signal)</source>
            <translation>不进行短信验证的原因（如申请人手机无信号）</translation>
        </message>
        <message>
            <source>Say why the number is not verified, then continue.</source>
            <translation>请说明未验证手机号码的原因，然后继续。</translation>
        </message>
        <message>
            <source>Enter the reason for continuing without the SMS code.</source>
            <translation>请填写不进行短信验证的原因。</translation>
        </message>
        <message>
            <source>The number recorded for this case is filled in; check it with the applicant.</source>
            <translation>已填入本业务记录的手机号码，请与申请人核对。</translation>
        </message>
    </context>
    <context>
        <name>ReviewStep</name>
        <message>
            <source>Legal representative</source>
            <translation>法定代表人</translation>
        </message>
        <message>
            <source>The applicant has checked the photo and the details above and confirms them</source>
            <translation>申请人已核对上方照片和信息，确认无误</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>单位名称</translation>
        </message>
        <message>
            <source>Credit code</source>
            <translation>统一社会信用代码</translation>
        </message>
        <message>
            <source>Agent</source>
            <translation>经办人</translation>
        </message>
        <message>
            <source>Applicant</source>
            <translation>申请人</translation>
        </message>
        <message>
            <source>Document</source>
            <translation>证件类型</translation>
        </message>
        <message>
            <source>Document number</source>
            <translation>证件号码</translation>
        </message>
        <message>
            <source>Mobile number</source>
            <translation>手机号码</translation>
        </message>
        <message>
            <source>verified by SMS</source>
            <translation>已短信验证</translation>
        </message>
        <message>
            <source>not verified</source>
            <translation>未验证</translation>
        </message>
        <message>
            <source>Power of attorney</source>
            <translation>授权委托书</translation>
        </message>
        <message>
            <source>User agreement</source>
            <translation>用户服务协议</translation>
        </message>
        <message>
            <source>version {version}, signed</source>
            <translation>版本 {version}，已签署</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>已采集材料</translation>
        </message>
        <message>
            <source>No photo</source>
            <translation>无照片</translation>
        </message>
        <message>
            <source>Ask the applicant to check the preview, then tick the confirmation.</source>
            <translation>请申请人核对预览信息，然后勾选确认。</translation>
        </message>
    </context>
    <context>
        <name>TrueSizePhoto</name>
        <message>
            <source>Actual size: {w:.0f} × {h:.0f} mm</source>
            <translation>实际尺寸：{w:.0f} × {h:.0f} 毫米</translation>
        </message>
    </context>
    <context>
        <name>ReviewWords</name>
        <message>
            <source>Organisation</source>
            <translation>单位名称</translation>
        </message>
        <message>
            <source>Legal representative</source>
            <translation>法定代表人</translation>
        </message>
        <message>
            <source>Power of attorney</source>
            <translation>授权委托书</translation>
        </message>
        <message>
            <source>read from the card's chip</source>
            <translation>读取证件芯片</translation>
        </message>
        <message>
            <source>read from the passport's chip</source>
            <translation>读取护照芯片</translation>
        </message>
        <message>
            <source>typed in by the clerk</source>
            <translation>经办人手工录入</translation>
        </message>
        <message>
            <source>decoded from the chip</source>
            <translation>已从芯片解码</translation>
        </message>
        <message>
            <source>simulated (demo card)</source>
            <translation>模拟（演示证件）</translation>
        </message>
        <message>
            <source>not decoded: no photo decoder is set up at the station</source>
            <translation>未解码：本工作站未配置照片解码库</translation>
        </message>
        <message>
            <source>not decoded: the station's photo decoder could not be used</source>
            <translation>未解码：本工作站的照片解码库无法使用</translation>
        </message>
        <message>
            <source>the chip photo could not be decoded</source>
            <translation>芯片照片无法解码</translation>
        </message>
        <message>
            <source>the card has no photo on its chip</source>
            <translation>证件芯片中没有照片</translation>
        </message>
        <message>
            <source>the chip was not read</source>
            <translation>未读取芯片</translation>
        </message>
        <message>
            <source>ID number check digit</source>
            <translation>证件号码校验位</translation>
        </message>
        <message>
            <source>ID number</source>
            <translation>证件号码</translation>
        </message>
        <message>
            <source>Number type</source>
            <translation>号码类型</translation>
        </message>
        <message>
            <source>Date of birth against the number</source>
            <translation>出生日期与号码一致</translation>
        </message>
        <message>
            <source>Sex against the number</source>
            <translation>性别与号码一致</translation>
        </message>
        <message>
            <source>Validity period</source>
            <translation>有效期</translation>
        </message>
        <message>
            <source>Card type accepted here</source>
            <translation>证件类型可受理</translation>
        </message>
        <message>
            <source>Expiry date</source>
            <translation>有效期截止日期</translation>
        </message>
        <message>
            <source>Chip data signed by the issuer</source>
            <translation>芯片数据经签发机关签名</translation>
        </message>
        <message>
            <source>Organisation code</source>
            <translation>单位代码</translation>
        </message>
        <message>
            <source>Kind of organisation code</source>
            <translation>单位代码类型</translation>
        </message>
        <message>
            <source>Mobile phone</source>
            <translation>手机号码</translation>
        </message>
        <message>
            <source>unified social credit code</source>
            <translation>统一社会信用代码</translation>
        </message>
        <message>
            <source>organisation code (GB 11714)</source>
            <translation>组织机构代码（GB 11714）</translation>
        </message>
        <message>
            <source>Business licence</source>
            <translation>营业执照</translation>
        </message>
        <message>
            <source>Agent's ID card, front</source>
            <translation>经办人身份证（人像面）</translation>
        </message>
        <message>
            <source>Agent's ID card, back</source>
            <translation>经办人身份证（国徽面）</translation>
        </message>
        <message>
            <source>ID card, front</source>
            <translation>身份证（人像面）</translation>
        </message>
        <message>
            <source>ID card, back</source>
            <translation>身份证（国徽面）</translation>
        </message>
    </context>
    <context>
        <name>CaseView</name>
        <message>
            <source>Next case</source>
            <translation>下一件</translation>
        </message>
        <message>
            <source>No chip photo: {why}.</source>
            <translation>无芯片照片：{why}。</translation>
        </message>
        <message>
            <source>Captured by the clerk despite failed checks: {reason}</source>
            <translation>检测未通过，经办人仍拍摄：{reason}</translation>
        </message>
        <message>
            <source>{name} (simulated)</source>
            <translation>{name}（模拟）</translation>
        </message>
        <message>
            <source>Taken {time} with {camera}</source>
            <translation>{time} 由 {camera} 拍摄</translation>
        </message>
        <message>
            <source>How it was taken</source>
            <translation>采集方式</translation>
        </message>
        <message>
            <source>Chip photo</source>
            <translation>芯片照片</translation>
        </message>
        <message>
            <source>Expired document used</source>
            <translation>使用过期证件</translation>
        </message>
        <message>
            <source>Mobile number not verified by SMS</source>
            <translation>手机号码未经短信验证</translation>
        </message>
        <message>
            <source>Photo captured despite failed checks</source>
            <translation>照片检测未通过仍拍摄</translation>
        </message>
        <message>
            <source>{scan} kept although it does not look like one</source>
            <translation>{scan}看起来不像证件，仍予保留</translation>
        </message>
        <message>
            <source>Clerk's reasons</source>
            <translation>经办人说明</translation>
        </message>
        <message>
            <source>{n} given</source>
            <translation>共 {n} 条</translation>
        </message>
        <message>
            <source>Applicant checked the preview</source>
            <translation>申请人已核对预览</translation>
        </message>
    </context>
    <context>
        <name>FlowWizard</name>
        <message>
            <source>Carried over from the returned case: {steps}.</source>
            <translation>以下内容沿用被退回业务的记录：{steps}。</translation>
        </message>
    </context>
    <context>
        <name>CasesPage</name>
        <message>
            <source>Applicant</source>
            <translation>申请人</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>单位名称</translation>
        </message>
        <message>
            <source>Decided</source>
            <translation>已审核</translation>
        </message>
        <message>
            <source>Sync now</source>
            <translation>立即同步</translation>
        </message>
        <message>
            <source>Search: ID number, name or case number</source>
            <translation>搜索：证件号码、姓名或业务编号</translation>
        </message>
        <message>
            <source>All cases</source>
            <translation>全部业务</translation>
        </message>
        <message>
            <source>Not sent yet</source>
            <translation>尚未上传</translation>
        </message>
        <message>
            <source>Returned for more information</source>
            <translation>退回补充材料</translation>
        </message>
        <message>
            <source>Waiting for review</source>
            <translation>等待审核</translation>
        </message>
        <message>
            <source>Reprint receipt…</source>
            <translation>补打回执…</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>上传状态</translation>
        </message>
        <message>
            <source>No cases match.</source>
            <translation>没有符合条件的业务。</translation>
        </message>
        <message>
            <source>Today you submitted {n}</source>
            <translation>今日本人受理 {n} 件</translation>
        </message>
        <message>
            <source>Not sent yet: {n}</source>
            <translation>尚未上传：{n} 件</translation>
        </message>
        <message>
            <source>Refused: needs attention</source>
            <translation>被拒收：需要处理</translation>
        </message>
        <message>
            <source>Case {number} ({name}) was returned for more information: {note}</source>
            <translation>业务 {number}（{name}）被退回补充材料：{note}</translation>
        </message>
        <message>
            <source>(no note)</source>
            <translation>（无备注）</translation>
        </message>
        <message>
            <source>Select it and press “Resubmit with more information”.</source>
            <translation>请选中该业务，点击“补充材料重新提交”。</translation>
        </message>
        <message>
            <source>Submitted</source>
            <translation>提交时间</translation>
        </message>
        <message>
            <source>Last delivery attempt</source>
            <translation>最近一次上传</translation>
        </message>
        <message>
            <source>Decision reason</source>
            <translation>审核原因</translation>
        </message>
        <message>
            <source>Resubmission of</source>
            <translation>补充提交自</translation>
        </message>
        <message>
            <source>Resubmitted as</source>
            <translation>已补充提交为</translation>
        </message>
        <message>
            <source>Why it is reviewed:</source>
            <translation>转人工审核原因：</translation>
        </message>
        <message>
            <source>Supervisor’s note</source>
            <translation>审核人员备注</translation>
        </message>
        <message>
            <source>No central service is set up: cases stay here until one is.</source>
            <translation>尚未设置中心服务：业务保存在本机，待设置后上传。</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>正在上传…</translation>
        </message>
    </context>
    <context>
        <name>ReturnedWatcher</name>
        <message>
            <source>Case {number} ({name}) was returned for more information</source>
            <translation>业务 {number}（{name}）被退回补充材料</translation>
        </message>
    </context>
    <context>
        <name>ReceiptDialog</name>
        <message>
            <source>Reprint receipt</source>
            <translation>补打回执</translation>
        </message>
    </context>
</TS>
