package net.ledgerchat.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file: {@code KEY=VALUE} lines, {@code #} comments, optional {@code export }
 * prefix, optional single or double quotes around the value. A line that is none of these is an
 * error naming the file and line, not something silently skipped.
 */
public final class DotEnv {
    public static final String ENV_FILE = "ENV_FILE";
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private DotEnv() {
    }

    /** The file to read: {@code ENV_FILE} if set (then it must exist), else {@code ./.env} if present. */
    public static Map<String, String> load(Map<String, String> environment) {
        String named = environment.get(ENV_FILE);
        Path file = Path.of(named == null || named.isBlank() ? ".env" : named);
        if (!Files.exists(file)) {
            if (named != null && !named.isBlank()) {
                throw new SettingsException(ENV_FILE + "='" + named + "': no such file");
            }
            return Map.of();
        }
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new SettingsException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!KEY.matcher(key).matches()) {
                throw new SettingsException(source + " line " + (i + 1) + " is not KEY=VALUE");
            }
            values.put(key, unquote(line.substring(eq + 1).strip()));
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        int comment = value.indexOf(" #");
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }
}
