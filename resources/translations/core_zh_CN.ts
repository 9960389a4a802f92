<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Accounts</name>
        <message>
            <source>A user name is required.</source>
            <translation>请输入用户名。</translation>
        </message>
        <message>
            <source>The password must have at least 8 characters.</source>
            <translation>密码至少需要 8 个字符。</translation>
        </message>
        <message>
            <source>This user name is already taken.</source>
            <translation>该用户名已被使用。</translation>
        </message>
        <message>
            <source>Wrong user name or password.</source>
            <translation>用户名或密码错误。</translation>
        </message>
        <message>
            <source>This account is locked after repeated failures. Try again later.</source>
            <translation>多次登录失败，账户已锁定，请稍后再试。</translation>
        </message>
        <message>
            <source>No such operator.</source>
            <translation>没有该操作员。</translation>
        </message>
        <message>
            <source>This is an account of the central service: it is changed there.</source>
            <translation>这是中心服务的账户，须在中心服务修改。</translation>
        </message>
        <message>
            <source>This is the station's last administrator: add another administrator first.</source>
            <translation>这是本工作站最后一个管理员，请先添加另一个管理员。</translation>
        </message>
        <message>
            <source>You cannot change your own role.</source>
            <translation>不能修改自己的角色。</translation>
        </message>
        <message>
            <source>You cannot disable your own account.</source>
            <translation>不能停用自己的账户。</translation>
        </message>
    </context>
    <context>
        <name>Passwords</name>
        <message>
            <source>The password must have at least 8 characters.</source>
            <translation>密码至少需要 8 个字符。</translation>
        </message>
        <message>
            <source>The password is too long (at most 256 characters).</source>
            <translation>密码过长（最多 256 个字符）。</translation>
        </message>
        <message>
            <source>The password is too simple: use at least 4 different characters, not a run or a sequence.</source>
            <translation>密码过于简单：请使用至少 4 个不同的字符，不要使用重复或连续的字符。</translation>
        </message>
        <message>
            <source>This password is one of the first that guessers try; choose another.</source>
            <translation>此密码是最常被猜测的密码之一，请另选一个。</translation>
        </message>
        <message>
            <source>The password must not be the user name (with or without digits added).</source>
            <translation>密码不能是用户名（无论是否附加数字）。</translation>
        </message>
    </context>
</TS>
