package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.modules.HostVars;

/** Where the MINIO module keeps things, and how it sees a member answer. */
final class S3Layout {
    private static final Pattern RANGE = Pattern.compile("\\{(\\d+)\\.\\.\\.(\\d+)}");

    private S3Layout() {
    }

    /** The jar of the pinned S3Proxy, named by its hash: a new jar is a new unit file, which restarts the server. */
    static String jar(HostVars v) {
        return MinioModule.S3PROXY_DIR + "/s3proxy-" + v.str("minio_s3proxy_sha256").toLowerCase(java.util.Locale.ROOT).substring(0, 12) + ".jar";
    }

    /** {@code minio_data} with MinIO's {@code {x...y}} expanded: {@code /data{1...2}/minio} is two drives. */
    static List<String> drives(String data) {
        Matcher m = RANGE.matcher(data);
        if (!m.find()) {
            return List.of(data);
        }
        List<String> out = new ArrayList<>();
        int from = Integer.parseInt(m.group(1));
        int to = Integer.parseInt(m.group(2));
        for (int i = from; i <= to && out.size() < 64; i++) {
            for (String rest : drives(data.substring(m.end()))) {
                out.add(data.substring(0, m.start()) + i + rest);
            }
        }
        return out;
    }

    /** A one-line check that the member takes connections on its S3 port at {@code host}. */
    static String answers(MinioNode n, String host) {
        return "timeout 2 bash -c '</dev/tcp/$1/$2' sh " + dev.pig.core.ssh.Shell.quote(host) + " " + n.me().port() + " 2>/dev/null";
    }
}
