<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>CentralApi</name>
        <message>
            <source>This user name is already taken.</source>
            <translation>该用户名已被使用。</translation>
        </message>
        <message>
            <source>Wrong user name or password.</source>
            <translation>用户名或密码错误。</translation>
        </message>
        <message>
            <source>This enrolment code is wrong, used or expired.</source>
            <translation>注册码错误、已使用或已过期。</translation>
        </message>
        <message>
            <source>The request body is too large.</source>
            <translation>请求内容过大。</translation>
        </message>
        <message>
            <source>Sign in first (missing, wrong or expired token).</source>
            <translation>请先登录（令牌缺失、错误或已过期）。</translation>
        </message>
        <message>
            <source>Your role is not allowed to do this.</source>
            <translation>您的角色无权执行此操作。</translation>
        </message>
        <message>
            <source>Chunked uploads need both Upload-Offset and Upload-Length.</source>
            <translation>分块上传需要同时提供 Upload-Offset 和 Upload-Length。</translation>
        </message>
        <message>
            <source>The request is not valid; see the listed problems.</source>
            <translation>请求无效，请查看列出的问题。</translation>
        </message>
        <message>
            <source>Not found.</source>
            <translation>未找到。</translation>
        </message>
        <message>
            <source>This method is not allowed here.</source>
            <translation>此处不允许该请求方法。</translation>
        </message>
        <message>
            <source>The request was refused.</source>
            <translation>请求被拒绝。</translation>
        </message>
        <message>
            <source>The database is unavailable; try again shortly.</source>
            <translation>数据库暂不可用，请稍后重试。</translation>
        </message>
        <message>
            <source>This idempotency key was already used for a different case.</source>
            <translation>该幂等键已用于另一个业务。</translation>
        </message>
        <message>
            <source>Some parts of this case have not been uploaded yet.</source>
            <translation>该业务的部分附件尚未上传。</translation>
        </message>
        <message>
            <source>The uploaded content does not match its SHA-256 hash.</source>
            <translation>上传内容与其 SHA-256 哈希值不符。</translation>
        </message>
        <message>
            <source>The upload must continue from the offset the server holds.</source>
            <translation>上传必须从服务器已保存的位置继续。</translation>
        </message>
        <message>
            <source>More bytes were sent than the declared size; the upload restarts.</source>
            <translation>发送的字节数超过声明的大小，上传将重新开始。</translation>
        </message>
        <message>
            <source>No such case.</source>
            <translation>业务不存在。</translation>
        </message>
        <message>
            <source>This case is not waiting for review.</source>
            <translation>该业务不在待审核状态。</translation>
        </message>
        <message>
            <source>Another reviewer is working on this case.</source>
            <translation>另一位审核员正在处理该业务。</translation>
        </message>
        <message>
            <source>You no longer hold this case; claim it again.</source>
            <translation>您已不再持有该业务，请重新领取。</translation>
        </message>
        <message>
            <source>A rejection needs a reason code.</source>
            <translation>驳回必须选择原因代码。</translation>
        </message>
        <message>
            <source>Say what information is missing in the note.</source>
            <translation>请在备注中说明需要补充的信息。</translation>
        </message>
        <message>
            <source>Unknown reason code.</source>
            <translation>未知的原因代码。</translation>
        </message>
        <message>
            <source>No such part in this case.</source>
            <translation>该业务中没有此附件。</translation>
        </message>
        <message>
            <source>The request body could not be read (malformed JSON?).</source>
            <translation>无法读取请求内容（JSON 格式错误？）。</translation>
        </message>
        <message>
            <source>A value in the request cannot be stored.</source>
            <translation>请求中的某个值无法保存。</translation>
        </message>
        <message>
            <source>No such verification code request.</source>
            <translation>没有该验证码请求。</translation>
        </message>
        <message>
            <source>This account is locked after repeated wrong passwords; try again later or ask an administrator to unlock it.</source>
            <translation>密码连续输错次数过多，账号已锁定；请稍后再试或请管理员解锁。</translation>
        </message>
        <message>
            <source>Stored data could not be decrypted (wrong data key or altered data); tell the administrator.</source>
            <translation>存储的数据无法解密（数据密钥不符或数据被改动），请联系管理员。</translation>
        </message>
        <message>
            <source>Too many wrong passwords from this computer; wait a few minutes and try again.</source>
            <translation>此电脑密码输错次数过多，请等待几分钟后再试。</translation>
        </message>
        <message>
            <source>This audit log does not continue the one anchored earlier: the station's audit log has been altered.</source>
            <translation>此审计日志与此前锚定的日志不连续：工作站的审计日志已被篡改。</translation>
        </message>
        <message>
            <source>A station already uses this code.</source>
            <translation>已有工作站使用此编号。</translation>
        </message>
        <message>
            <source>This reference was already used for a different submission.</source>
            <translation>此业务编号已用于另一项申请。</translation>
        </message>
        <message>
            <source>The request body arrived too slowly; try again.</source>
            <translation>请求内容传输过慢，请重试。</translation>
        </message>
        <message>
            <source>Too many text messages for this number or from this station; try again later.</source>
            <translation>发送到此号码或由此工作站发出的短信过多，请稍后再试。</translation>
        </message>
        <message>
            <source>This status page token belongs to another case.</source>
            <translation>此业务进度查询码已属于另一笔业务。</translation>
        </message>
    </context>
    <context>
        <name>CentralClient</name>
        <message>
            <source>The central service cannot be reached.</source>
            <translation>无法连接中心服务。</translation>
        </message>
        <message>
            <source>The central service answered with an error.</source>
            <translation>中心服务返回错误。</translation>
        </message>
        <message>
            <source>A downloaded part does not match its hash.</source>
            <translation>下载的附件与其哈希值不符。</translation>
        </message>
    </context>
    <context>
        <name>Sync</name>
        <message>
            <source>No central service address is configured.</source>
            <translation>未配置中心服务地址。</translation>
        </message>
        <message>
            <source>This station is not enrolled with the central service yet.</source>
            <translation>本工作站尚未在中心服务注册。</translation>
        </message>
        <message>
            <source>Central service unreachable; cases are kept locally.</source>
            <translation>中心服务无法连接，业务已在本地保存。</translation>
        </message>
        <message>
            <source>Some cases were refused by the central service.</source>
            <translation>部分业务被中心服务拒收。</translation>
        </message>
        <message>
            <source>Sending cases to the central service.</source>
            <translation>正在向中心服务发送业务。</translation>
        </message>
        <message>
            <source>All cases are synchronised.</source>
            <translation>所有业务均已同步。</translation>
        </message>
    </context>
</TS>
