#==============================================================#
# ${file_name} of ${minio_cluster}: managed by pig (minio_config)
# S3Proxy identity ${identity_kind}<#if buckets?has_content>; claims ${buckets?join(", ")}</#if>
#==============================================================#
<#if minio_https>
s3proxy.secure-endpoint=https://0.0.0.0:${minio_port?c}
s3proxy.keystore-path=${properties(keystore_path)}
s3proxy.keystore-password=${properties(keystore_password)}
<#else>
s3proxy.endpoint=http://0.0.0.0:${minio_port?c}
</#if>
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${properties(identity)}
s3proxy.credential=${properties(credential)}
<#list buckets as b>
s3proxy.bucket-locator.${b?counter}=${properties(b)}
</#list>
jclouds.provider=filesystem
jclouds.filesystem.basedir=${properties(minio_data)}
