<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Receipt</name>
        <message>
            <source>Individual in-person registration</source>
            <translation>个人面签注册</translation>
        </message>
        <message>
            <source>Organisation in-person registration</source>
            <translation>单位面签注册</translation>
        </message>
        <message>
            <source>E-driving-licence photo</source>
            <translation>电子驾驶证照片</translation>
        </message>
        <message>
            <source>Manual review application</source>
            <translation>人工审核申请</translation>
        </message>
        <message>
            <source>12123 E-Driving-Licence Photo Receipt</source>
            <translation>交管12123 电子驾驶证照片采集回执</translation>
        </message>
        <message>
            <source>12123 Manual Review Application Receipt</source>
            <translation>交管12123 人工审核申请回执</translation>
        </message>
        <message>
            <source>12123 In-Person Registration Receipt</source>
            <translation>交管12123 面签注册回执</translation>
        </message>
        <message>
            <source>Resident identity card</source>
            <translation>居民身份证</translation>
        </message>
        <message>
            <source>Residence permit for Hong Kong, Macao and Taiwan residents</source>
            <translation>港澳台居民居住证</translation>
        </message>
        <message>
            <source>Foreigner's permanent residence ID card</source>
            <translation>外国人永久居留身份证</translation>
        </message>
        <message>
            <source>Passport</source>
            <translation>护照</translation>
        </message>
        <message>
            <source>Identity document (entered by hand)</source>
            <translation>身份证件（人工录入）</translation>
        </message>
        <message>
            <source>Business licence</source>
            <translation>营业执照</translation>
        </message>
        <message>
            <source>Power of attorney</source>
            <translation>授权委托书</translation>
        </message>
        <message>
            <source>Agent's ID card (front)</source>
            <translation>经办人身份证（人像面）</translation>
        </message>
        <message>
            <source>Agent's ID card (back)</source>
            <translation>经办人身份证（国徽面）</translation>
        </message>
        <message>
            <source>ID card (front)</source>
            <translation>身份证（人像面）</translation>
        </message>
        <message>
            <source>ID card (back)</source>
            <translation>身份证（国徽面）</translation>
        </message>
        <message>
            <source>Business: {kind}</source>
            <translation>业务类型：{kind}</translation>
        </message>
        <message>
            <source>Case number {number} (continued)</source>
            <translation>受理编号 {number}（续）</translation>
        </message>
        <message>
            <source>Scan to check progress</source>
            <translation>扫码查询办理进度</translation>
        </message>
        <message>
            <source>Page {page} of {total}</source>
            <translation>第 {page} 页 / 共 {total} 页</translation>
        </message>
        <message>
            <source>Station: {station} ({code})</source>
            <translation>受理网点：{station}（{code}）</translation>
        </message>
        <message>
            <source>Clerk: {clerk}</source>
            <translation>受理人：{clerk}</translation>
        </message>
        <message>
            <source>Issued: {time}</source>
            <translation>出具时间：{time}</translation>
        </message>
        <message>
            <source>Privacy: identity and phone numbers on this receipt are partly hidden. It still contains personal data: keep it safe and do not throw it away carelessly. Your information is used only for traffic-management services and is protected by law.</source>
            <translation>隐私提示：本回执中的证件号码和手机号码已部分隐藏，但仍含个人信息，请妥善保管。您的个人信息仅用于公安交通管理业务，依法受到保护。</translation>
        </message>
        <message>
            <source>Live photo</source>
            <translation>现场照片</translation>
        </message>
        <message>
            <source>No photo</source>
            <translation>无照片</translation>
        </message>
        <message>
            <source>Photo could not be read</source>
            <translation>照片无法读取</translation>
        </message>
        <message>
            <source>Case number</source>
            <translation>受理编号</translation>
        </message>
        <message>
            <source>Awaiting manual review</source>
            <translation>待人工审核</translation>
        </message>
        <message>
            <source>Photo accepted</source>
            <translation>照片已采集</translation>
        </message>
        <message>
            <source>Registration complete</source>
            <translation>注册完成</translation>
        </message>
        <message>
            <source>Organisation name</source>
            <translation>单位名称</translation>
        </message>
        <message>
            <source>Unified social credit code</source>
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
            <source>Identity document</source>
            <translation>证件类型</translation>
        </message>
        <message>
            <source>Document number</source>
            <translation>证件号码</translation>
        </message>
        <message>
            <source>Mobile phone</source>
            <translation>手机号码</translation>
        </message>
        <message>
            <source>Face match with ID photo</source>
            <translation>人证比对得分</translation>
        </message>
        <message>
            <source>{score} / 100</source>
            <translation>{score} 分（满分 100）</translation>
        </message>
        <message>
            <source>Documents scanned</source>
            <translation>已扫描材料</translation>
        </message>
        <message>
            <source>Agreement version</source>
            <translation>协议版本</translation>
        </message>
        <message>
            <source>Accepted at</source>
            <translation>受理时间</translation>
        </message>
        <message>
            <source>Completed at</source>
            <translation>办结时间</translation>
        </message>
        <message>
            <source>Your application has been submitted and will be reviewed by the traffic-management office. You do not need to submit it again.</source>
            <translation>您的申请已提交，将由公安交通管理部门进行人工审核，无需重复提交。</translation>
        </message>
        <message>
            <source>Reasons for review:</source>
            <translation>审核原因：</translation>
        </message>
        <message>
            <source>Expected decision by: {due}</source>
            <translation>预计办结时间：{due} 前</translation>
        </message>
        <message>
            <source>The result will be sent by text message to {phone}.</source>
            <translation>审核结果将以短信方式发送至 {phone}。</translation>
        </message>
        <message>
            <source>Ask at the counter or in the 12123 app for the result, quoting the case number.</source>
            <translation>请凭受理编号到窗口或通过交管12123 App 查询审核结果。</translation>
        </message>
        <message>
            <source>The organisation's registration is complete. The agent can now sign in to the 12123 app with the mobile number above to handle the organisation's business.</source>
            <translation>单位注册已完成。经办人可使用上述手机号码登录交管12123 App 办理单位业务。</translation>
        </message>
        <message>
            <source>Your photo has been taken and accepted. It will be used for your electronic driving licence, which you can view in the 12123 app.</source>
            <translation>照片已采集并通过检测，将用于您的电子驾驶证，可在交管12123 App 中查看。</translation>
        </message>
        <message>
            <source>Your registration is complete. You can now sign in to the 12123 app with the mobile number above and use its online services.</source>
            <translation>注册已完成。您可以使用上述手机号码登录交管12123 App 办理网上业务。</translation>
        </message>
        <message>
            <source>Keep this receipt. Quote the case number when you contact us.</source>
            <translation>请妥善保管本回执，咨询时请提供受理编号。</translation>
        </message>
        <message>
            <source>Outcome and next steps</source>
            <translation>办理结果及后续事项</translation>
        </message>
        <message>
            <source>Applicant's signature</source>
            <translation>申请人签名</translation>
        </message>
        <message>
            <source>No signature</source>
            <translation>无签名</translation>
        </message>
        <message>
            <source>Signature could not be read</source>
            <translation>签名无法读取</translation>
        </message>
        <message>
            <source>I confirm that the information above is true and that I have read and accept the 12123 user agreement (version {version}).</source>
            <translation>本人确认以上信息真实有效，已阅读并同意《交管12123 用户服务协议》（版本 {version}）。</translation>
        </message>
        <message>
            <source>I confirm that the information above is true.</source>
            <translation>本人确认以上信息真实有效。</translation>
        </message>
        <message>
            <source>Signed at: {time}</source>
            <translation>签名时间：{time}</translation>
        </message>
        <message>
            <source>Applicant's confirmation</source>
            <translation>申请人确认</translation>
        </message>
    </context>
    <context>
        <name>ReceiptSample</name>
        <message>
            <source>Face match score below the automatic threshold</source>
            <translation>人证比对得分低于自动通过阈值</translation>
        </message>
        <message>
            <source>Document entered by hand</source>
            <translation>证件信息为人工录入</translation>
        </message>
        <message>
            <source>Power of attorney to be checked</source>
            <translation>授权委托书需人工核验</translation>
        </message>
        <message>
            <source>Chaoyang vehicle office, window 3</source>
            <translation>朝阳车管分所 3号窗口</translation>
        </message>
        <message>
            <source>Beijing Traffic Management Bureau</source>
            <translation>北京市公安局公安交通管理局</translation>
        </message>
        <message>
            <source>Wang Fang</source>
            <translation>王芳</translation>
        </message>
        <message>
            <source>Zhang Wei</source>
            <translation>张伟</translation>
        </message>
        <message>
            <source>Beijing Example Logistics Co., Ltd.</source>
            <translation>北京示例物流有限公司</translation>
        </message>
    </context>
    <context>
        <name>DailyReport</name>
        <message>
            <source>End-of-day report</source>
            <translation>业务日报</translation>
        </message>
        <message>
            <source>End-of-day report: in-person registrations</source>
            <translation>面签注册业务日报</translation>
        </message>
        <message>
            <source>Day: {day} ({weekday})    Week: {start} to {end}</source>
            <translation>统计日期：{day}（{weekday}）    本周：{start} 至 {end}</translation>
        </message>
        <message>
            <source>Page {page} of {total}</source>
            <translation>第 {page} 页 / 共 {total} 页</translation>
        </message>
        <message>
            <source>Generated {time} by Counter Station. For internal use only.</source>
            <translation>由受理工作站于 {time} 生成，仅供内部使用。</translation>
        </message>
        <message>
            <source>Generated by Counter Station. For internal use only.</source>
            <translation>由受理工作站生成，仅供内部使用。</translation>
        </message>
        <message>
            <source>Mon</source>
            <translation>周一</translation>
        </message>
        <message>
            <source>Tue</source>
            <translation>周二</translation>
        </message>
        <message>
            <source>Wed</source>
            <translation>周三</translation>
        </message>
        <message>
            <source>Thu</source>
            <translation>周四</translation>
        </message>
        <message>
            <source>Fri</source>
            <translation>周五</translation>
        </message>
        <message>
            <source>Sat</source>
            <translation>周六</translation>
        </message>
        <message>
            <source>Sun</source>
            <translation>周日</translation>
        </message>
        <message>
            <source>Registrations today</source>
            <translation>今日受理</translation>
        </message>
        <message>
            <source>This week</source>
            <translation>本周累计</translation>
        </message>
        <message>
            <source>Flagged for review</source>
            <translation>转人工审核比例</translation>
        </message>
        <message>
            <source>Median decision time</source>
            <translation>审核用时中位数</translation>
        </message>
        <message>
            <source>{minutes} min</source>
            <translation>{minutes} 分钟</translation>
        </message>
        <message>
            <source>Overdue reviews</source>
            <translation>逾期未审</translation>
        </message>
        <message>
            <source>Business</source>
            <translation>业务类型</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今日</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>合计</translation>
        </message>
        <message>
            <source>Registrations by business</source>
            <translation>按业务类型统计</translation>
        </message>
        <message>
            <source>Registrations per day this week</source>
            <translation>本周每日受理量</translation>
        </message>
        <message>
            <source>No figures for this week.</source>
            <translation>本周暂无数据。</translation>
        </message>
        <message>
            <source>Registrations per clerk today</source>
            <translation>今日各受理人受理量</translation>
        </message>
        <message>
            <source>No registrations today.</source>
            <translation>今日无受理业务。</translation>
        </message>
        <message>
            <source>Clerk</source>
            <translation>受理人</translation>
        </message>
        <message>
            <source>Registrations</source>
            <translation>受理量</translation>
        </message>
        <message>
            <source>Share</source>
            <translation>占比</translation>
        </message>
        <message>
            <source>Review flags by reason (today)</source>
            <translation>今日转人工审核原因</translation>
        </message>
        <message>
            <source>{rate} of today's registrations were flagged for review; {overdue} review(s) are past their due time.</source>
            <translation>今日受理业务中 {rate} 转人工审核；{overdue} 件审核已超过办结时限。</translation>
        </message>
        <message>
            <source>No review flags today.</source>
            <translation>今日无转人工审核业务。</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Cases</source>
            <translation>件数</translation>
        </message>
        <message>
            <source>Rate</source>
            <translation>占今日受理</translation>
        </message>
        <message>
            <source>Other reasons</source>
            <translation>其他原因</translation>
        </message>
        <message>
            <source>Individual</source>
            <translation>个人</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>单位</translation>
        </message>
        <message>
            <source>E-licence photo</source>
            <translation>电子证照片</translation>
        </message>
        <message>
            <source>Manual review</source>
            <translation>人工审核</translation>
        </message>
    </context>
    <context>
        <name>ReportSample</name>
        <message>
            <source>Beijing Traffic Management Bureau</source>
            <translation>北京市公安局公安交通管理局</translation>
        </message>
        <message>
            <source>Chaoyang vehicle office, all windows</source>
            <translation>朝阳车管分所 全部窗口</translation>
        </message>
        <message>
            <source>Wang Fang</source>
            <translation>王芳</translation>
        </message>
        <message>
            <source>Li Na</source>
            <translation>李娜</translation>
        </message>
        <message>
            <source>Zhang Qiang</source>
            <translation>张强</translation>
        </message>
        <message>
            <source>Self-service kiosk 1</source>
            <translation>自助终端 1</translation>
        </message>
        <message>
            <source>Face match score below the automatic threshold</source>
            <translation>人证比对得分低于自动通过阈值</translation>
        </message>
        <message>
            <source>Document entered by hand</source>
            <translation>证件信息为人工录入</translation>
        </message>
        <message>
            <source>Power of attorney to be checked</source>
            <translation>授权委托书需人工核验</translation>
        </message>
        <message>
            <source>Photo quality borderline</source>
            <translation>照片质量处于临界值</translation>
        </message>
    </context>
    <context>
        <name>ReceiptView</name>
        <message>
            <source>Save receipt as PDF</source>
            <translation>将回执另存为 PDF</translation>
        </message>
        <message>
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>正在保存…</translation>
        </message>
        <message>
            <source>Could not save the receipt: {error}</source>
            <translation>无法保存回执：{error}</translation>
        </message>
        <message>
            <source>Print receipt</source>
            <translation>打印回执</translation>
        </message>
        <message>
            <source>Printing…</source>
            <translation>正在打印…</translation>
        </message>
        <message>
            <source>Printing failed: {error}</source>
            <translation>打印失败：{error}</translation>
        </message>
        <message>
            <source>Print…</source>
            <translation>打印…</translation>
        </message>
        <message>
            <source>Save as PDF…</source>
            <translation>另存为 PDF…</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>Preparing the receipt…</source>
            <translation>正在生成回执…</translation>
        </message>
        <message>
            <source>The receipt could not be produced: {error}</source>
            <translation>无法生成回执：{error}</translation>
        </message>
        <message>
            <source>Receipt ready ({pages} page(s)).</source>
            <translation>回执已生成（共 {pages} 页）。</translation>
        </message>
        <message>
            <source>Saved to {path}</source>
            <translation>已保存到 {path}</translation>
        </message>
        <message>
            <source>Sent to the printer.</source>
            <translation>已发送到打印机。</translation>
        </message>
    </context>
</TS>
