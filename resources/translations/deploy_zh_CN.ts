<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Enrolment</name>
        <message>
            <source>The enrolment code is wrong, or it was issued for another station than {code}. Check the code and the station code in the settings file.</source>
            <translation>注册码错误，或该注册码是为 {code} 以外的工作站签发的。请核对注册码及设置文件中的工作站编号。</translation>
        </message>
        <message>
            <source>This enrolment code has been used already. Ask the central administrator for a new one (python -m central enrolment-code {code}).</source>
            <translation>该注册码已被使用。请向中心服务管理员申请新的注册码（python -m central enrolment-code {code}）。</translation>
        </message>
        <message>
            <source>This enrolment code has expired. Ask the central administrator for a new one (python -m central enrolment-code {code}).</source>
            <translation>该注册码已过期。请向中心服务管理员申请新的注册码（python -m central enrolment-code {code}）。</translation>
        </message>
        <message>
            <source>The central service refused the enrolment code (wrong, used or expired). Ask the central administrator for a new one.</source>
            <translation>中心服务拒绝了该注册码（错误、已使用或已过期）。请向中心服务管理员申请新的注册码。</translation>
        </message>
        <message>
            <source>Enter the enrolment code.</source>
            <translation>请输入注册码。</translation>
        </message>
        <message>
            <source>No central service is configured (central.url).</source>
            <translation>未配置中心服务（central.url）。</translation>
        </message>
        <message>
            <source>The central service has disabled this station; ask its administrator to enable it again.</source>
            <translation>中心服务已停用本工作站，请联系中心管理员重新启用。</translation>
        </message>
        <message>
            <source>The central service no longer accepts this station's credential; enrol the station again.</source>
            <translation>中心服务不再接受本工作站的凭据，请重新注册本工作站。</translation>
        </message>
        <message>
            <source>This station is not enrolled with the central service yet.</source>
            <translation>本工作站尚未在中心服务注册。</translation>
        </message>
        <message>
            <source>The central service cannot be reached; cases are kept locally.</source>
            <translation>无法连接中心服务，业务数据暂存本地。</translation>
        </message>
        <message>
            <source>Enrolled; the central service accepts this station.</source>
            <translation>已注册，中心服务接受本工作站。</translation>
        </message>
    </context>
    <context>
        <name>StationCli</name>
        <message>
            <source>error: {error}</source>
            <translation>错误：{error}</translation>
        </message>
        <message>
            <source>Station {code} is enrolled with {url}.</source>
            <translation>工作站 {code} 已在 {url} 注册。</translation>
        </message>
        <message>
            <source>Station {code} is enrolled again with {url}; its previous credential is no longer valid.</source>
            <translation>工作站 {code} 已在 {url} 重新注册，原凭据已失效。</translation>
        </message>
        <message>
            <source>The credential is stored sealed in {path}.</source>
            <translation>凭据已加密保存在 {path}。</translation>
        </message>
        <message>
            <source>A running station picks it up within one sync interval.</source>
            <translation>正在运行的工作站将在一个同步周期内启用该凭据。</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>Station</source>
            <translation>工作站</translation>
        </message>
        <message>
            <source>Enrolled</source>
            <translation>已注册</translation>
        </message>
        <message>
            <source>Central service</source>
            <translation>中心服务</translation>
        </message>
        <message>
            <source>Cases waiting to sync</source>
            <translation>待同步业务</translation>
        </message>
        <message>
            <source>Cases refused</source>
            <translation>被拒收业务</translation>
        </message>
        <message>
            <source>Last sync</source>
            <translation>上次同步</translation>
        </message>
    </context>
    <context>
        <name>Connection</name>
        <message>
            <source>No central service address is configured.</source>
            <translation>未配置中心服务地址。</translation>
        </message>
        <message>
            <source>The central service address is not a valid URL: {url}</source>
            <translation>中心服务地址不是有效的网址：{url}</translation>
        </message>
        <message>
            <source>The central service address must start with https:// and name a host: {url}</source>
            <translation>中心服务地址须以 https:// 开头并包含主机名：{url}</translation>
        </message>
        <message>
            <source>The central service address must not contain a user name or password.</source>
            <translation>中心服务地址中不得包含用户名或密码。</translation>
        </message>
        <message>
            <source>Plain http:// is refused for {host}: use https:// (or set central.allow_insecure_http = true for a closed test network).</source>
            <translation>拒绝以明文 http:// 连接 {host}：请使用 https://（封闭测试网络可设置 central.allow_insecure_http = true）。</translation>
        </message>
        <message>
            <source>The CA certificate file {path} does not exist.</source>
            <translation>CA 证书文件 {path} 不存在。</translation>
        </message>
        <message>
            <source>The CA certificate file {path} cannot be read: {error}</source>
            <translation>无法读取 CA 证书文件 {path}：{error}</translation>
        </message>
    </context>
    <context>
        <name>CentralClient</name>
        <message>
            <source>The central service's certificate is not trusted (set central.ca_file to the office's CA certificate).</source>
            <translation>中心服务的证书不受信任（请将 central.ca_file 设为本单位的 CA 证书）。</translation>
        </message>
    </context>
    <context>
        <name>Sync</name>
        <message>
            <source>The central service has disabled this station; cases are kept locally until its administrator enables it again.</source>
            <translation>中心服务已停用本工作站；业务数据暂存本地，待中心管理员重新启用后再同步。</translation>
        </message>
        <message>
            <source>The central service no longer accepts this station's credential; enrol the station again (settings page).</source>
            <translation>中心服务不再接受本工作站的凭据，请在设置页面重新注册本工作站。</translation>
        </message>
    </context>
    <context>
        <name>CentralLinkBox</name>
        <message>
            <source>Central service</source>
            <translation>中心服务</translation>
        </message>
        <message>
            <source>Central service address</source>
            <translation>中心服务地址</translation>
        </message>
        <message>
            <source>Enrolment code</source>
            <translation>注册码</translation>
        </message>
        <message>
            <source>Test connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <source>Enrol station</source>
            <translation>注册工作站</translation>
        </message>
        <message>
            <source>Station {station} uses the demo's embedded central service.</source>
            <translation>工作站 {station} 使用演示模式的内置中心服务。</translation>
        </message>
        <message>
            <source>Station {station} is enrolled, but the central service has disabled it.</source>
            <translation>工作站 {station} 已注册，但已被中心服务停用。</translation>
        </message>
        <message>
            <source>Station {station}: the central service no longer accepts its credential. Enrol it again with a new code.</source>
            <translation>工作站 {station}：中心服务不再接受其凭据，请使用新的注册码重新注册。</translation>
        </message>
        <message>
            <source>Station {station} is enrolled with {url} (since {since}); last sync: {last}.</source>
            <translation>工作站 {station} 已在 {url} 注册（自 {since} 起）；上次同步：{last}。</translation>
        </message>
        <message>
            <source>Station {station} is not enrolled yet: enter the central service address and the one-time code from its administrator.</source>
            <translation>工作站 {station} 尚未注册：请输入中心服务地址及中心管理员提供的一次性注册码。</translation>
        </message>
        <message>
            <source>not yet</source>
            <translation>尚未同步</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>正在连接…</translation>
        </message>
        <message>
            <source>The central service cannot be reached: {detail}</source>
            <translation>无法连接中心服务：{detail}</translation>
        </message>
        <message>
            <source>Connected. The central service accepts this station.</source>
            <translation>连接成功，中心服务接受本工作站。</translation>
        </message>
        <message>
            <source>Connected, but the central service refuses this station: {detail}</source>
            <translation>已连接，但中心服务拒绝本工作站：{detail}</translation>
        </message>
        <message>
            <source>Connected. The central service answers; this station is not enrolled there yet.</source>
            <translation>连接成功，中心服务有响应；本工作站尚未在该中心注册。</translation>
        </message>
        <message>
            <source>Enter the one-time enrolment code.</source>
            <translation>请输入一次性注册码。</translation>
        </message>
        <message>
            <source>Enrolling…</source>
            <translation>正在注册…</translation>
        </message>
        <message>
            <source>Station {station} is enrolled with {url}. Sync starts now.</source>
            <translation>工作站 {station} 已在 {url} 注册，现在开始同步。</translation>
        </message>
        <message>
            <source>Unexpected error: {error}</source>
            <translation>意外错误：{error}</translation>
        </message>
    </context>
    <context>
        <name>CentralApi</name>
        <message>
            <source>This station has been disabled by the central administrator.</source>
            <translation>本工作站已被中心管理员停用。</translation>
        </message>
        <message>
            <source>This enrolment code is wrong or was issued for another station.</source>
            <translation>注册码错误，或该注册码是为其他工作站签发的。</translation>
        </message>
        <message>
            <source>This enrolment code has been used already; ask for a new one.</source>
            <translation>该注册码已被使用，请申请新的注册码。</translation>
        </message>
        <message>
            <source>This enrolment code has expired; ask for a new one.</source>
            <translation>该注册码已过期，请申请新的注册码。</translation>
        </message>
        <message>
            <source>There is no such station.</source>
            <translation>没有该工作站。</translation>
        </message>
        <message>
            <source>There is no such user.</source>
            <translation>没有该用户。</translation>
        </message>
        <message>
            <source>The configuration cannot be published; see the listed problems.</source>
            <translation>该配置无法发布，请查看所列问题。</translation>
        </message>
        <message>
            <source>You cannot disable your own account.</source>
            <translation>不能停用自己的账户。</translation>
        </message>
        <message>
            <source>This is the last administrator: add another administrator first.</source>
            <translation>这是最后一个管理员，请先添加另一个管理员。</translation>
        </message>
        <message>
            <source>You cannot change your own role.</source>
            <translation>不能修改自己的角色。</translation>
        </message>
    </context>
    <context>
        <name>SignIn</name>
        <message>
            <source>The administrator exists already; sign in.</source>
            <translation>管理员账户已存在，请直接登录。</translation>
        </message>
        <message>
            <source>This station is enrolled: operators are created at the central service.</source>
            <translation>本工作站已注册：操作员账户须在中心服务创建。</translation>
        </message>
        <message>
            <source>The central service has disabled this station: nobody can sign in here until its administrator enables it again.</source>
            <translation>中心服务已停用本工作站：在中心管理员重新启用之前，任何人都无法在此登录。</translation>
        </message>
        <message>
            <source>The central service no longer accepts this station's credential: the administrator enrols it again (python -m station enrol).</source>
            <translation>中心服务不再接受本工作站的凭据：请管理员重新注册本工作站（python -m station enrol）。</translation>
        </message>
        <message>
            <source>The central service cannot be reached, and this account has not signed in at this station before: try again when the connection is back.</source>
            <translation>无法连接中心服务，且该账户此前未在本工作站登录过：请待连接恢复后再试。</translation>
        </message>
        <message>
            <source>The central service cannot be reached, and this account last signed in online too long ago to work offline: try again when the connection is back.</source>
            <translation>无法连接中心服务，且该账户上次在线登录距今过久，无法离线使用：请待连接恢复后再试。</translation>
        </message>
        <message>
            <source>Only an administrator can set up this terminal.</source>
            <translation>只有管理员才能设置本终端。</translation>
        </message>
        <message>
            <source>This password is not accepted.</source>
            <translation>密码不正确。</translation>
        </message>
    </context>
    <context>
        <name>LoginScreen</name>
        <message>
            <source>Sign in with your account of the central service</source>
            <translation>请使用中心服务的账户登录</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Your account has been disabled at the central service; you are signed out.</source>
            <translation>您的账户已被中心服务停用，您已退出登录。</translation>
        </message>
    </context>
    <context>
        <name>OperatorsPage</name>
        <message>
            <source>This station is enrolled: operators are the central service's accounts, created and disabled there (python -m central create-user / users disable). The list shows those mirrored here at the last sync.</source>
            <translation>本工作站已注册：操作员为中心服务的账户，须在中心服务创建和停用（python -m central create-user / users disable）。此列表显示上次同步时镜像到本工作站的账户。</translation>
        </message>
    </context>
</TS>
