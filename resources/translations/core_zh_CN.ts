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
    </context>
</TS>
