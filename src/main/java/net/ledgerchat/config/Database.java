package net.ledgerchat.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where the ledger is kept: the embedded H2 file (default) or a SQL Server named by the {@code DB_*} settings. */
public sealed interface Database {
    String jdbcUrl();

    /**
     * What makes a committed transaction durable in the database file before its caller is told "stored", or
     * empty when the commit itself does.
     */
    Optional<String> flushStatement();

    String driverClass();

    String user();

    String password();

    /** A description for logs: never contains the password. */
    String describe();

    record H2(Path directory) implements Database {
        public H2 {
            Objects.requireNonNull(directory, "directory");
        }

        /** The database file H2 creates for {@link #jdbcUrl()}. */
        public Path file() {
            return directory.resolve("chat.mv.db");
        }

        /**
         * WRITE_DELAY=500, H2's default, keeps H2's background housekeeping: with 0 no background thread runs, so
         * chunks that still hold a few live pages are never rewritten and the file grew by about 60 KB per commit
         * for good (6,000 sends made 357 MB; BENCHMARKS.md). Durability does not rest on it: the writer runs
         * {@link #flushStatement()} after every commit. AUTO_SERVER: an operator can open the live database with
         * H2's own tools (on loopback only: see NodeLauncher.keepDatabaseServerLocal).
         */
        @Override
        public String jdbcUrl() {
            return "jdbc:h2:file:" + directory.resolve("chat") + ";WRITE_DELAY=500;AUTO_SERVER=TRUE";
        }

        /** Writes what is committed to the file now, so kill -9 loses nothing acknowledged. */
        @Override
        public Optional<String> flushStatement() {
            return Optional.of("CHECKPOINT");
        }

        @Override
        public String driverClass() {
            return "org.h2.Driver";
        }

        @Override
        public String user() {
            return "chat";
        }

        @Override
        public String password() {
            return "chat";
        }

        @Override
        public String describe() {
            return "H2 file database " + file();
        }
    }

    record SqlServer(String server, int port, String name, String user, String password, boolean encrypt,
                     boolean trustServerCertificate) implements Database {
        public SqlServer {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String jdbcUrl() {
            return "jdbc:sqlserver://" + server + ":" + port + ";databaseName=" + name + ";encrypt=" + encrypt
                    + ";trustServerCertificate=" + trustServerCertificate;
        }

        @Override
        public Optional<String> flushStatement() {
            return Optional.empty();
        }

        @Override
        public String driverClass() {
            return "com.microsoft.sqlserver.jdbc.SQLServerDriver";
        }

        @Override
        public String describe() {
            return "SQL Server database " + name + " at " + server + ":" + port + " as " + user;
        }
    }
}
