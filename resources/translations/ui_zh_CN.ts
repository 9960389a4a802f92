<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Labels</name>
        <message>
            <source>Clerk</source>
            <translation>窗口民警/辅警</translation>
        </message>
        <message>
            <source>Supervisor</source>
            <translation>审核员</translation>
        </message>
        <message>
            <source>Administrator</source>
            <translation>管理员</translation>
        </message>
        <message>
            <source>Individual registration</source>
            <translation>个人面签注册</translation>
        </message>
        <message>
            <source>Organisation registration</source>
            <translation>单位面签注册</translation>
        </message>
        <message>
            <source>E-licence photo</source>
            <translation>电子驾驶证照片</translation>
        </message>
        <message>
            <source>Manual review submission</source>
            <translation>人工审核申请</translation>
        </message>
        <message>
            <source>Draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <source>Saved, waiting to sync</source>
            <translation>已保存，待同步</translation>
        </message>
        <message>
            <source>Synced</source>
            <translation>已同步</translation>
        </message>
        <message>
            <source>Decided</source>
            <translation>已审核</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>Not required</source>
            <translation>无需审核</translation>
        </message>
        <message>
            <source>Waiting for review</source>
            <translation>待审核</translation>
        </message>
        <message>
            <source>Approved</source>
            <translation>已通过</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>未通过</translation>
        </message>
        <message>
            <source>Returned for more information</source>
            <translation>退回补充材料</translation>
        </message>
    </context>
    <context>
        <name>LockScreen</name>
        <message>
            <source>Locked. {name}, enter your password to continue.</source>
            <translation>已锁定。{name}，请输入密码继续。</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>解锁</translation>
        </message>
        <message>
            <source>Sign out</source>
            <translation>退出登录</translation>
        </message>
    </context>
    <context>
        <name>LoginScreen</name>
        <message>
            <source>Counter Station</source>
            <translation>面签注册工作站</translation>
        </message>
        <message>
            <source>First start: create the administrator account.</source>
            <translation>首次启动：请创建管理员账户。</translation>
        </message>
        <message>
            <source>Create administrator</source>
            <translation>创建管理员</translation>
        </message>
        <message>
            <source>Sign in to the service window</source>
            <translation>登录服务窗口</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
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
        <message>
            <source>Sign-in failed: {error}</source>
            <translation>登录失败：{error}</translation>
        </message>
    </context>
    <context>
        <name>Workspace</name>
        <message>
            <source>{name} · {role} · station {station}</source>
            <translation>{name} · {role} · 工作站 {station}</translation>
        </message>
        <message>
            <source>Lock</source>
            <translation>锁定</translation>
        </message>
        <message>
            <source>Sign out</source>
            <translation>退出登录</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Counter Station — 12123 in-person registration</source>
            <translation>面签注册工作站 — 交管12123 面签注册</translation>
        </message>
        <message>
            <source>To sync: {pending} · failed: {failed}</source>
            <translation>待同步：{pending} · 失败：{failed}</translation>
        </message>
    </context>
    <context>
        <name>DevicesPage</name>
        <message>
            <source>Devices</source>
            <translation>设备管理</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Port or source</source>
            <translation>端口/来源</translation>
        </message>
        <message>
            <source>Detail</source>
            <translation>详情</translation>
        </message>
        <message>
            <source>Serial ports on this machine</source>
            <translation>本机串口</translation>
        </message>
        <message>
            <source>Scan again</source>
            <translation>重新扫描</translation>
        </message>
        <message>
            <source>No serial ports found.</source>
            <translation>未发现串口。</translation>
        </message>
    </context>
    <context>
        <name>OperatorsPage</name>
        <message>
            <source>Operators</source>
            <translation>操作员管理</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Add an operator</source>
            <translation>添加操作员</translation>
        </message>
        <message>
            <source>Full name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Initial password</source>
            <translation>初始密码</translation>
        </message>
        <message>
            <source>Add operator</source>
            <translation>添加</translation>
        </message>
        <message>
            <source>Operator {name} added.</source>
            <translation>已添加操作员 {name}。</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>New password</source>
            <translation>新密码</translation>
        </message>
        <message>
            <source>Save name and role</source>
            <translation>保存姓名和角色</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>解锁</translation>
        </message>
        <message>
            <source>Reset password</source>
            <translation>重置密码</translation>
        </message>
        <message>
            <source>At least 8 characters, not a sequence, not the user name</source>
            <translation>至少 8 个字符，不能是连续字符，不能是用户名</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>已停用</translation>
        </message>
        <message>
            <source>Locked until {time}</source>
            <translation>锁定至 {time}</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>Select an operator in the list</source>
            <translation>请在列表中选择操作员</translation>
        </message>
        <message>
            <source>Disable</source>
            <translation>停用</translation>
        </message>
        <message>
            <source>Operator {name}</source>
            <translation>操作员 {name}</translation>
        </message>
        <message>
            <source>Enable</source>
            <translation>启用</translation>
        </message>
        <message>
            <source>Operator {name} saved.</source>
            <translation>操作员 {name} 已保存。</translation>
        </message>
        <message>
            <source>Disable this operator?</source>
            <translation>停用该操作员？</translation>
        </message>
        <message>
            <source>{name} can no longer sign in at this station until an administrator enables the account again. Disable it?</source>
            <translation>停用后，{name} 将无法在本工作站登录，直到管理员重新启用该账户。确定停用？</translation>
        </message>
        <message>
            <source>Operator {name} disabled.</source>
            <translation>操作员 {name} 已停用。</translation>
        </message>
        <message>
            <source>Operator {name} enabled.</source>
            <translation>操作员 {name} 已启用。</translation>
        </message>
        <message>
            <source>Operator {name} can sign in again.</source>
            <translation>操作员 {name} 已解除锁定，可以重新登录。</translation>
        </message>
        <message>
            <source>The password of {name} is reset; tell them in person.</source>
            <translation>{name} 的密码已重置，请当面告知本人。</translation>
        </message>
        <message>
            <source>The central service cannot be reached ({reason}); the list is the one mirrored at the last sync.</source>
            <translation>无法连接中心服务（{reason}）；列表为上次同步时镜像的账户。</translation>
        </message>
        <message>
            <source>This station is enrolled: operators are the central service's accounts; the changes made here are made there (new accounts: python -m central create-user).</source>
            <translation>本工作站已注册：操作员为中心服务的账户，在此所做的修改即在中心服务生效（新建账户：python -m central create-user）。</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>Station settings</source>
            <translation>工作站设置</translation>
        </message>
        <message>
            <source>Settings come from the TOML file given with --config and from STATION__SECTION__KEY environment variables. Change them there and restart the station.</source>
            <translation>设置来自 --config 指定的 TOML 文件和 STATION__SECTION__KEY 环境变量。请在其中修改后重启工作站。</translation>
        </message>
    </context>
    <context>
        <name>CasesPage</name>
        <message>
            <source>Cases of this station</source>
            <translation>本工作站业务记录</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Case number</source>
            <translation>业务编号</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>业务类型</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Review</source>
            <translation>审核</translation>
        </message>
        <message>
            <source>Review reasons</source>
            <translation>审核原因</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>创建时间</translation>
        </message>
        <message>
            <source>No cases yet.</source>
            <translation>暂无业务记录。</translation>
        </message>
        <message>
            <source>Resubmit with more information</source>
            <translation>补充材料重新提交</translation>
        </message>
        <message>
            <source>For a case a supervisor returned: register the same person again with what the supervisor asked for.</source>
            <translation>用于被审核人员退回的业务：按审核意见为同一办理人重新办理。</translation>
        </message>
        <message>
            <source>Supervisor's note</source>
            <translation>审核意见</translation>
        </message>
        <message>
            <source>{status}, resubmitted as {number}</source>
            <translation>{status}，已重新提交为 {number}</translation>
        </message>
    </context>
    <context>
        <name>Navigation</name>
        <message>
            <source>Cases</source>
            <translation>业务记录</translation>
        </message>
        <message>
            <source>Operators</source>
            <translation>操作员管理</translation>
        </message>
        <message>
            <source>Devices</source>
            <translation>设备管理</translation>
        </message>
        <message>
            <source>Station settings</source>
            <translation>工作站设置</translation>
        </message>
    </context>
    <context>
        <name>DeviceIndicator</name>
        <message>
            <source>ID card reader</source>
            <translation>身份证阅读器</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>摄像头</translation>
        </message>
        <message>
            <source>Signature pad</source>
            <translation>签名板</translation>
        </message>
        <message>
            <source>Central service</source>
            <translation>中心服务</translation>
        </message>
        <message>
            <source>ready</source>
            <translation>就绪</translation>
        </message>
        <message>
            <source>busy</source>
            <translation>忙碌</translation>
        </message>
        <message>
            <source>connecting</source>
            <translation>连接中</translation>
        </message>
        <message>
            <source>not connected</source>
            <translation>未连接</translation>
        </message>
        <message>
            <source>error</source>
            <translation>故障</translation>
        </message>
        <message>
            <source>not configured</source>
            <translation>未配置</translation>
        </message>
        <message>
            <source> (demo)</source>
            <translation>（模拟）</translation>
        </message>
        <message>
            <source>Passport reader</source>
            <translation>护照/通行证阅读器</translation>
        </message>
    </context>
</TS>
