<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>ReviewNavigation</name>
        <message>
            <source>Review queue</source>
            <translation>审核队列</translation>
        </message>
        <message>
            <source>Review dashboard</source>
            <translation>审核统计</translation>
        </message>
    </context>
    <context>
        <name>CaseView</name>
        <message>
            <source>Close case</source>
            <translation>关闭案件</translation>
        </message>
        <message>
            <source>Photo quality report</source>
            <translation>照片质量报告</translation>
        </message>
        <message>
            <source>ID fields</source>
            <translation>证件信息</translation>
        </message>
        <message>
            <source>Document scans</source>
            <translation>材料扫描件</translation>
        </message>
        <message>
            <source>Signature</source>
            <translation>签名</translation>
        </message>
        <message>
            <source>Audit trail</source>
            <translation>审计记录</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Who</source>
            <translation>操作人</translation>
        </message>
        <message>
            <source>What</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <source>No document scans in this case.</source>
            <translation>本案件没有材料扫描件。</translation>
        </message>
        <message>
            <source>Reason code</source>
            <translation>原因代码</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>What is wrong or missing (sent to the station)</source>
            <translation>存在的问题或缺少的材料（将发送给受理窗口）</translation>
        </message>
        <message>
            <source>Approve</source>
            <translation>通过</translation>
        </message>
        <message>
            <source>Reject</source>
            <translation>驳回</translation>
        </message>
        <message>
            <source>Return for more information</source>
            <translation>退回补充材料</translation>
        </message>
        <message>
            <source>Read only</source>
            <translation>只读</translation>
        </message>
        <message>
            <source>— choose a reason —</source>
            <translation>— 请选择原因 —</translation>
        </message>
        <message>
            <source>OVERDUE since {time}</source>
            <translation>已超期（截止 {time}）</translation>
        </message>
        <message>
            <source>due {time}</source>
            <translation>截止 {time}</translation>
        </message>
        <message>
            <source>Case {number} · {kind} · station {station} · clerk {clerk} · received {received} · {due} · {state}</source>
            <translation>案件 {number} · {kind} · 窗口 {station} · 受理人 {clerk} · 接收于 {received} · {due} · {state}</translation>
        </message>
        <message>
            <source>The chip photo could not be loaded.</source>
            <translation>无法加载芯片照片。</translation>
        </message>
        <message>
            <source>No identity document in this case.</source>
            <translation>本案件没有身份证件信息。</translation>
        </message>
        <message>
            <source>The card has no photo on its chip.</source>
            <translation>证件芯片中没有照片。</translation>
        </message>
        <message>
            <source>The chip photo could not be decoded.</source>
            <translation>芯片照片无法解码。</translation>
        </message>
        <message>
            <source>The chip was not read (manual entry or scan).</source>
            <translation>未读取芯片（手工录入或扫描）。</translation>
        </message>
        <message>
            <source>This document type carries no readable chip photo.</source>
            <translation>该类证件没有可读取的芯片照片。</translation>
        </message>
        <message>
            <source>No chip photo (station reported: {status}).</source>
            <translation>没有芯片照片（窗口报告：{status}）。</translation>
        </message>
        <message>
            <source>No chip photo was delivered with this case.</source>
            <translation>本案件未提交芯片照片。</translation>
        </message>
        <message>
            <source>No live photo was delivered with this case.</source>
            <translation>本案件未提交现场照片。</translation>
        </message>
        <message>
            <source>No face match score.</source>
            <translation>没有人像比对分数。</translation>
        </message>
        <message>
            <source>Match score {score:.2f}</source>
            <translation>比对分数 {score:.2f}</translation>
        </message>
        <message>
            <source>below the threshold {t:.2f}: NOT the same person?</source>
            <translation>低于阈值 {t:.2f}：可能不是同一人</translation>
        </message>
        <message>
            <source>at or above the threshold {t:.2f}</source>
            <translation>达到阈值 {t:.2f}</translation>
        </message>
        <message>
            <source>No quality report was delivered.</source>
            <translation>未提交质量报告。</translation>
        </message>
        <message>
            <source>value {value}, limit {limit}</source>
            <translation>测量值 {value}，要求 {limit}</translation>
        </message>
        <message>
            <source>Review reasons</source>
            <translation>审核原因</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Name (Latin)</source>
            <translation>外文姓名</translation>
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
            <source>Mobile phone</source>
            <translation>手机号码</translation>
        </message>
        <message>
            <source>Document type</source>
            <translation>证件类型</translation>
        </message>
        <message>
            <source>Document number</source>
            <translation>证件号码</translation>
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
            <source>Valid to</source>
            <translation>有效期止</translation>
        </message>
        <message>
            <source>Person ({role})</source>
            <translation>人员（{role}）</translation>
        </message>
        <message>
            <source>Identity document</source>
            <translation>身份证件</translation>
        </message>
        <message>
            <source>Office</source>
            <translation>车管所</translation>
        </message>
        <message>
            <source>Scan</source>
            <translation>扫描件</translation>
        </message>
        <message>
            <source>No signature image in this case.</source>
            <translation>本案件没有签名图像。</translation>
        </message>
        <message>
            <source>No signature record: binding not checked.</source>
            <translation>没有签名记录：未检查绑定。</translation>
        </message>
        <message>
            <source>The signature record can be read</source>
            <translation>签名记录可以读取</translation>
        </message>
        <message>
            <source>Pen data unaltered since signing</source>
            <translation>笔迹数据签署后未被修改</translation>
        </message>
        <message>
            <source>Signature image unaltered since signing</source>
            <translation>签名图像签署后未被修改</translation>
        </message>
        <message>
            <source>Record seal matches its contents</source>
            <translation>记录封印与内容一致</translation>
        </message>
        <message>
            <source>Seal matches the one the station recorded</source>
            <translation>封印与受理窗口登记的一致</translation>
        </message>
        <message>
            <source>Signed the known agreement text of its version</source>
            <translation>签署的是该版本的协议原文</translation>
        </message>
        <message>
            <source>Bound to this case</source>
            <translation>与本案件绑定</translation>
        </message>
        <message>
            <source>Signature binding: verified</source>
            <translation>签名绑定：已验证</translation>
        </message>
        <message>
            <source>Signature binding: PROBLEMS FOUND</source>
            <translation>签名绑定：发现问题</translation>
        </message>
        <message>
            <source> (cannot be checked here)</source>
            <translation>（此处无法检查）</translation>
        </message>
        <message>
            <source>Opened for review (claimed)</source>
            <translation>打开审核（领取）</translation>
        </message>
        <message>
            <source>Put back in the queue</source>
            <translation>放回队列</translation>
        </message>
        <message>
            <source>Decided</source>
            <translation>已作出决定</translation>
        </message>
        <message>
            <source>Received from the station</source>
            <translation>已从受理窗口接收</translation>
        </message>
        <message>
            <source>No entries yet.</source>
            <translation>暂无记录。</translation>
        </message>
        <message>
            <source>The case could not be loaded: {why}</source>
            <translation>无法加载案件：{why}</translation>
        </message>
        <message>
            <source>Held by you until {time}</source>
            <translation>由您处理，保留至 {time}</translation>
        </message>
        <message>
            <source>No longer held by you</source>
            <translation>已不再由您处理</translation>
        </message>
        <message>
            <source>This case went back to the queue and may be with another supervisor: {why}</source>
            <translation>该案件已回到队列，可能已由其他审核员处理：{why}</translation>
        </message>
        <message>
            <source>Choose a reason code to reject or return a case.</source>
            <translation>驳回或退回案件时必须选择原因代码。</translation>
        </message>
        <message>
            <source>Say in the note what information is missing.</source>
            <translation>请在备注中说明缺少哪些材料。</translation>
        </message>
        <message>
            <source>Sending the decision…</source>
            <translation>正在提交审核决定…</translation>
        </message>
        <message>
            <source>Decision saved: {decision}. The station and the applicant will be told.</source>
            <translation>审核决定已保存：{decision}。将通知受理窗口和申请人。</translation>
        </message>
        <message>
            <source>The decision was not saved: {why}</source>
            <translation>审核决定未保存：{why}</translation>
        </message>
        <message>
            <source>The central service did not answer: {why} The decision may not have been saved; press the button again to find out.</source>
            <translation>中心服务未答复：{why}审核决定可能未保存，请再按一次按钮确认。</translation>
        </message>
        <message>
            <source>applicant</source>
            <translation>申请人</translation>
        </message>
        <message>
            <source>agent</source>
            <translation>代理人</translation>
        </message>
        <message>
            <source>legal representative</source>
            <translation>法定代表人</translation>
        </message>
        <message>
            <source>Resubmission of</source>
            <translation>补充材料重新提交，原业务</translation>
        </message>
        <message>
            <source>Supervisor's note then</source>
            <translation>当时的审核意见</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <source>Parts</source>
            <translation>全部材料</translation>
        </message>
        <message>
            <source>Part</source>
            <translation>材料</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Shown</source>
            <translation>显示</translation>
        </message>
        <message>
            <source>shown</source>
            <translation>已显示</translation>
        </message>
        <message>
            <source>could not be loaded</source>
            <translation>无法加载</translation>
        </message>
        <message>
            <source>checked (Signature tab)</source>
            <translation>已核验（见“签名”页）</translation>
        </message>
        <message>
            <source>kept, not an image</source>
            <translation>已保存（非图像）</translation>
        </message>
        <message>
            <source>{kb:.0f} KB</source>
            <translation>{kb:.0f} KB</translation>
        </message>
        <message>
            <source>Photo in the traffic system</source>
            <translation>交管系统留存照片</translation>
        </message>
        <message>
            <source>The traffic system has no photo on file for this person.</source>
            <translation>交管系统中没有此人的留存照片。</translation>
        </message>
        <message>
            <source>The traffic system cannot be reached now; open the case again later to compare.</source>
            <translation>暂时无法连接交管系统；请稍后重新打开业务再比对。</translation>
        </message>
        <message>
            <source>The traffic system refused the request: {why}</source>
            <translation>交管系统拒绝了请求：{why}</translation>
        </message>
        <message>
            <source>No traffic system is connected to the central service.</source>
            <translation>中心服务未接入交管系统。</translation>
        </message>
        <message>
            <source>The case has no identity number to look up.</source>
            <translation>本业务没有可查询的身份证件号码。</translation>
        </message>
        <message>
            <source>The photo on file could not be loaded: {why}</source>
            <translation>无法加载留存照片：{why}</translation>
        </message>
        <message>
            <source>Asking the traffic system…</source>
            <translation>正在向交管系统查询……</translation>
        </message>
        <message>
            <source>Taken on {date}</source>
            <translation>拍摄日期：{date}</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>Review dashboard</source>
            <translation>审核统计</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>最近 24 小时</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>最近 7 天</translation>
        </message>
        <message>
            <source>Flagged cases per kind</source>
            <translation>各业务类型的待审案件</translation>
        </message>
        <message>
            <source>Flagged cases per clerk</source>
            <translation>各受理人的待审案件</translation>
        </message>
        <message>
            <source>Flags per reason</source>
            <translation>各原因的标记数</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Cases</source>
            <translation>案件数</translation>
        </message>
        <message>
            <source>Clerk</source>
            <translation>受理人</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Flags</source>
            <translation>标记数</translation>
        </message>
        <message>
            <source>Share of flagged cases</source>
            <translation>占待审案件比例</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <source>The figures could not be loaded: {why}</source>
            <translation>无法加载统计数据：{why}</translation>
        </message>
        <message>
            <source>{minutes:.0f} min</source>
            <translation>{minutes:.0f} 分钟</translation>
        </message>
        <message>
            <source>Flagged cases: {total} · decided: {decided} · waiting: {waiting} · overdue: {overdue} · median time to decision: {median}</source>
            <translation>待审案件：{total} · 已决定：{decided} · 等待中：{waiting} · 超期：{overdue} · 决定用时中位数：{median}</translation>
        </message>
        <message>
            <source>End-of-day report (PDF)</source>
            <translation>日终报表（PDF）</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今日</translation>
        </message>
        <message>
            <source>This week (since Monday)</source>
            <translation>本周（自周一起）</translation>
        </message>
        <message>
            <source>Registrations: {registered} · flag rate: {rate}</source>
            <translation>登记：{registered} · 需审核比例：{rate}</translation>
        </message>
        <message>
            <source>Registrations per kind</source>
            <translation>各业务类型的登记数</translation>
        </message>
        <message>
            <source>Registrations per clerk</source>
            <translation>各受理人的登记数</translation>
        </message>
        <message>
            <source>Share of registrations</source>
            <translation>占登记数比例</translation>
        </message>
        <message>
            <source>Preparing the end-of-day report…</source>
            <translation>正在生成日终报表…</translation>
        </message>
        <message>
            <source>{office}, all stations</source>
            <translation>{office} 全部窗口</translation>
        </message>
        <message>
            <source>The end-of-day report was saved as {path}.</source>
            <translation>日终报表已保存为 {path}。</translation>
        </message>
        <message>
            <source>The end-of-day report could not be made: {why}</source>
            <translation>无法生成日终报表：{why}</translation>
        </message>
    </context>
    <context>
        <name>ReviewFormat</name>
        <message>
            <source>{m} min</source>
            <translation>{m} 分钟</translation>
        </message>
        <message>
            <source>{h} h {m} min</source>
            <translation>{h} 小时 {m} 分钟</translation>
        </message>
        <message>
            <source>{d} d {h} h</source>
            <translation>{d} 天 {h} 小时</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>等待中</translation>
        </message>
        <message>
            <source>Taken</source>
            <translation>已领取</translation>
        </message>
        <message>
            <source>Approved</source>
            <translation>已通过</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>已驳回</translation>
        </message>
        <message>
            <source>Returned for more information</source>
            <translation>已退回补充材料</translation>
        </message>
        <message>
            <source>No review needed</source>
            <translation>无需审核</translation>
        </message>
    </context>
    <context>
        <name>QueueModel</name>
        <message>
            <source>Case number</source>
            <translation>案件编号</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Review reasons</source>
            <translation>审核原因</translation>
        </message>
        <message>
            <source>Station</source>
            <translation>受理窗口</translation>
        </message>
        <message>
            <source>Clerk</source>
            <translation>受理人</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>等待中</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>截止时间</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Received {time}</source>
            <translation>接收于 {time}</translation>
        </message>
        <message>
            <source>Overdue since {time}</source>
            <translation>已超期 {time}</translation>
        </message>
        <message>
            <source>Taken by {who}</source>
            <translation>已由 {who} 领取</translation>
        </message>
        <message>
            <source>Waiting time</source>
            <translation>已等待</translation>
        </message>
    </context>
    <context>
        <name>ReviewQueuePage</name>
        <message>
            <source>Review queue of the office</source>
            <translation>本所审核队列</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Open case</source>
            <translation>打开案件</translation>
        </message>
        <message>
            <source>Take the next case</source>
            <translation>领取下一件</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Station</source>
            <translation>受理窗口</translation>
        </message>
        <message>
            <source>Clerk</source>
            <translation>受理人</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>等待中</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>截止时间</translation>
        </message>
        <message>
            <source>any</source>
            <translation>全部</translation>
        </message>
        <message>
            <source>Waiting for a reviewer</source>
            <translation>等待审核</translation>
        </message>
        <message>
            <source>Taken</source>
            <translation>已领取</translation>
        </message>
        <message>
            <source>All cases</source>
            <translation>全部案件</translation>
        </message>
        <message>
            <source>Approved</source>
            <translation>已通过</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>已驳回</translation>
        </message>
        <message>
            <source>Returned for more information</source>
            <translation>已退回补充材料</translation>
        </message>
        <message>
            <source>All kinds</source>
            <translation>全部类型</translation>
        </message>
        <message>
            <source>All reasons</source>
            <translation>全部原因</translation>
        </message>
        <message>
            <source>Any time</source>
            <translation>不限</translation>
        </message>
        <message>
            <source>Over 30 minutes</source>
            <translation>超过 30 分钟</translation>
        </message>
        <message>
            <source>Over 2 hours</source>
            <translation>超过 2 小时</translation>
        </message>
        <message>
            <source>Over 1 day</source>
            <translation>超过 1 天</translation>
        </message>
        <message>
            <source>Any</source>
            <translation>不限</translation>
        </message>
        <message>
            <source>Overdue</source>
            <translation>已超期</translation>
        </message>
        <message>
            <source>Due within 2 hours</source>
            <translation>2 小时内到期</translation>
        </message>
        <message>
            <source>Not overdue</source>
            <translation>未超期</translation>
        </message>
        <message>
            <source>waiting</source>
            <translation>等待</translation>
        </message>
        <message>
            <source>taken</source>
            <translation>已领取</translation>
        </message>
        <message>
            <source>approved</source>
            <translation>已通过</translation>
        </message>
        <message>
            <source>rejected</source>
            <translation>已驳回</translation>
        </message>
        <message>
            <source>returned</source>
            <translation>已退回</translation>
        </message>
        <message>
            <source>Opening the case…</source>
            <translation>正在打开案件…</translation>
        </message>
        <message>
            <source>No free case matches the filters.</source>
            <translation>没有符合筛选条件的待领取案件。</translation>
        </message>
        <message>
            <source>{who} is working on this case (until {time}).</source>
            <translation>{who} 正在处理该案件（保留至 {time}）。</translation>
        </message>
        <message>
            <source>This case was already decided; it is shown read only.</source>
            <translation>该案件已作出决定，以只读方式显示。</translation>
        </message>
        <message>
            <source>Waiting time</source>
            <translation>已等待</translation>
        </message>
        <message>
            <source>Open (waiting or taken)</source>
            <translation>未决（等待或已领取）</translation>
        </message>
    </context>
    <context>
        <name>ReviewSession</name>
        <message>
            <source>Sign in to the central service first.</source>
            <translation>请先登录中心服务。</translation>
        </message>
    </context>
    <context>
        <name>PhotoThresholds</name>
        <message>
            <source>turned at most {0}°</source>
            <translation>转动不超过 {0}°</translation>
        </message>
        <message>
            <source>at least {0} px above the bottom edge</source>
            <translation>距底边至少 {0} 像素</translation>
        </message>
        <message>
            <source>lightness at least {0}</source>
            <translation>亮度不低于 {0}</translation>
        </message>
        <message>
            <source>colour strength at most {0}</source>
            <translation>色彩饱和度不超过 {0}</translation>
        </message>
        <message>
            <source>at least {0} px</source>
            <translation>至少 {0} 像素</translation>
        </message>
        <message>
            <source>a face large enough to measure</source>
            <translation>人脸足够大，可以测量</translation>
        </message>
        <message>
            <source>the background visible</source>
            <translation>背景可见</translation>
        </message>
        <message>
            <source>a colour photo (skin colour strength at least 3, hue from -15 to 100)</source>
            <translation>彩色照片（肤色饱和度至少 3，色调在 -15 到 100 之间）</translation>
        </message>
        <message>
            <source>not a JPEG file</source>
            <translation>不是 JPEG 文件</translation>
        </message>
        <message>
            <source>lightness varies at most {0}</source>
            <translation>亮度差异不超过 {0}</translation>
        </message>
        <message>
            <source>edges at most {0} of the background</source>
            <translation>背景中的边缘不超过 {0}</translation>
        </message>
        <message>
            <source>JPEG, quality at least {0}</source>
            <translation>JPEG，质量不低于 {0}</translation>
        </message>
    </context>
</TS>
