package net.ledgerchat.store;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.internal.helper.DatabaseField;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

/**
 * The session customizer of the {@code chat} unit: fixes the column types EclipseLink would get wrong before
 * it generates the schema. Binary columns, on every database: EclipseLink 4.0 ignores the length of a
 * {@code byte[]} column and declares {@code LONGVARBINARY} on H2 (unbounded, so a damaged 33-byte hash would be
 * stored without complaint) and {@code IMAGE} on SQL Server (which can be neither a key nor indexed); each
 * becomes {@code VARBINARY(length)}, which both accept, keeping its NOT NULL. Variable, not fixed
 * {@code BINARY(n)}: H2 pads a short fixed-length value, which would hide a wrong length from the validation.
 * Then the strings on SQL Server, see {@link SqlServerStrings}.
 *
 * <p>It acts after login, not in {@link #customize}: with a container data source and no
 * {@code eclipselink.target-database}, EclipseLink only learns which database it talks to when it
 * logs in, after customizers have run; schema generation comes later still.
 */
public class StoreColumns implements SessionCustomizer {
    @Override
    public void customize(Session session) {
        session.getEventManager().addListener(new SessionEventAdapter() {
            @Override
            public void postLogin(SessionEvent event) {
                binary(event.getSession());
                SqlServerStrings.adapt(event.getSession());
            }
        });
    }

    private static final int SQL_SERVER_LONGEST = 8_000;

    static void binary(Session session) {
        boolean sqlServer = session.getPlatform() instanceof org.eclipse.persistence.platform.database.SQLServerPlatform;
        for (ClassDescriptor descriptor : session.getDescriptors().values()) {
            for (DatabaseField field : descriptor.getFields()) {
                if (field.getType() == byte[].class) {
                    // SQL Server takes VARBINARY(n) up to 8000 bytes only; longer columns (bodies, contexts) are MAX.
                    String length = sqlServer && field.getLength() > SQL_SERVER_LONGEST ? "MAX" : Integer.toString(field.getLength());
                    // A column definition replaces the whole type clause, so the NOT NULL must be restated.
                    field.setColumnDefinition("VARBINARY(" + length + ")" + (field.isNullable() ? "" : " NOT NULL"));
                }
            }
        }
    }
}
