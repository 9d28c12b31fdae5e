package net.ledgerchat.store;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's own persistence unit {@code chat} (src/main/resources/META-INF/persistence.xml),
 * started by EclipseLink in Java SE mode against a JDBC URL instead of the container's
 * {@code jdbc/chat}. Using the real unit, not a copy, means a test sees exactly the entity list and
 * properties (the session customizer among them) that Payara deploys; only the transaction type
 * and the connection are overridden, because Java SE has neither JTA nor JNDI.
 */
final class ChatUnit {
    private ChatUnit() {
    }

    /**
     * Starts the unit and lets it create its schema, in the database and as a script in
     * {@code ddlScript}. {@code extra} adds or overrides unit properties; a null user or password
     * is not passed on.
     */
    static EntityManagerFactory open(String url, String user, String password, Path ddlScript,
                                     Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        // An empty string cancels persistence.xml's jta-data-source, so EclipseLink connects by URL.
        properties.put("jakarta.persistence.jtaDataSource", "");
        properties.put("jakarta.persistence.jdbc.url", url);
        // Null leaves them to the URL (integrated authentication, or user and password in the URL itself).
        if (user != null) {
            properties.put("jakarta.persistence.jdbc.user", user);
        }
        if (password != null) {
            properties.put("jakarta.persistence.jdbc.password", password);
        }
        properties.put("jakarta.persistence.schema-generation.scripts.action", "create");
        properties.put("jakarta.persistence.schema-generation.scripts.create-target", ddlScript.toString());
        // Weaving needs a Java agent in Java SE; the schema and the SQL do not depend on it.
        properties.put("eclipselink.weaving", "false");
        properties.putAll(extra);
        EntityManagerFactory factory = Persistence.createEntityManagerFactory("chat", properties);
        // EclipseLink deploys lazily: the first EntityManager logs in, which creates the schema.
        factory.createEntityManager().close();
        return factory;
    }

    /** The statements of a DDL script kept beside the tests in this package, one a line, blank lines dropped. */
    static List<String> resourceStatements(String name) throws IOException {
        try (java.io.InputStream in = ChatUnit.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        }
    }

    /** The statements of a DDL script EclipseLink wrote, one a line, blank lines dropped. */
    static List<String> statements(Path ddlScript) {
        try {
            return Files.readAllLines(ddlScript).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "table.column" to its declared type, for every column {@code type} matches in every CREATE TABLE of {@code ddl}. */
    static Map<String, String> columns(List<String> ddl, Pattern type) {
        Map<String, String> columns = new LinkedHashMap<>();
        Pattern createTable = Pattern.compile("CREATE TABLE (\\w+) \\((.*)\\)");
        for (String statement : ddl) {
            Matcher table = createTable.matcher(statement);
            if (table.matches()) {
                Matcher column = type.matcher(table.group(2));
                while (column.find()) {
                    columns.put(table.group(1) + "." + column.group(1), column.group(2));
                }
            }
        }
        return columns;
    }
}
