package net.ledgerchat.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where the ledger is kept: the embedded H2 file (default) or a SQL Server named by the {@code DB_*} settings. */
public sealed interface Database {
    String jdbcUrl();

    String driverClass();

    String user();

    String password();

    /** A description for logs: never contains the password. */
    String describe();

    record H2(Path directory) implements Database {
        /** The ledger's file name: format-1 ledgers were {@code chat.mv.db}, which this version never opens. */
        static final String NAME = "group";
        /** Where a format-1 node kept its ledger, in the same data directory. */
        public Path formatOneFile() {
            return directory.resolve("chat.mv.db");
        }

        public H2 {
            Objects.requireNonNull(directory, "directory");
        }

        /** The database file H2 creates for {@link #jdbcUrl()}. */
        public Path file() {
            return directory.resolve(NAME + ".mv.db");
        }

        /**
         * How long H2 keeps a chunk it wrote before it may overwrite the space once no live page is left in it. H2
         * assumes the file system has written every later chunk by then (its default, 45 s, trusts the kernel's
         * 30 s write-back); store.StoreHousekeeping forces the file to disk every tenth of this while the node
         * writes, so 5 s keeps a tenfold margin. Under sustained sends H2 keeps every chunk of its retention time
         * in the file and in its chunk table, which every commit rewrites in part: with 45 s, 100,000 sends left a
         * 4 GB file and a quarter of each commit's bytes was that table.
         */
        public static final int RETENTION_MILLIS = 5_000;

        @Override
        public String jdbcUrl() {
            // WRITE_DELAY=0: a commit reaches the file before the caller hears "stored", so kill -9 loses nothing
            // acknowledged. It also turns off H2's background housekeeping: store.StoreHousekeeping runs it.
            // AUTO_SERVER: an operator can open the live database with H2's own tools (on loopback only: see
            // NodeLauncher.keepDatabaseServerLocal).
            return "jdbc:h2:file:" + directory.resolve(NAME) + ";WRITE_DELAY=0;RETENTION_TIME=" + RETENTION_MILLIS
                    + ";AUTO_SERVER=TRUE";
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
        public String driverClass() {
            return "com.microsoft.sqlserver.jdbc.SQLServerDriver";
        }

        @Override
        public String describe() {
            return "SQL Server database " + name + " at " + server + ":" + port + " as " + user;
        }
    }
}
