package net.ledgerchat.store;

import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.internal.helper.DatabaseField;
import org.eclipse.persistence.platform.database.SQLServerPlatform;
import org.eclipse.persistence.sessions.Session;

/**
 * Makes the schema EclipseLink generates for the {@code chat} unit valid and Unicode on SQL Server,
 * and changes nothing on any other database (H2's schema stays byte for byte what it was).
 *
 * <p>Left alone, EclipseLink 4.0's SQLServerPlatform maps a String column to {@code VARCHAR(length)}:
 * not Unicode (an emoji or Devanagari text is stored as '?' under the usual collations), and
 * invalid past 8000 ({@code message}/{@code text} are 262,144 long). Two changes, SQL Server only:
 * <ul>
 * <li>the platform's national-character switch: every String column becomes {@code NVARCHAR}, and
 * the Microsoft driver binds strings with {@code setNString};</li>
 * <li>{@code NVARCHAR(n)} allows n &le; 4000, so a longer String column is declared
 * {@code NVARCHAR(MAX)} (up to 2 GB) instead, keeping its NOT NULL.</li>
 * </ul>
 *
 * <p>Applied by {@link StoreColumns}, the unit's session customizer, once EclipseLink knows the database.
 */
public final class SqlServerStrings {
    /** The largest n SQL Server accepts in NVARCHAR(n). */
    static final int NVARCHAR_LIMIT = 4000;

    private SqlServerStrings() {
    }

    static void adapt(Session session) {
        if (!(session.getPlatform() instanceof SQLServerPlatform platform)) {
            return;
        }
        platform.setUseNationalCharacterVaryingTypeForString(true);
        for (ClassDescriptor descriptor : session.getDescriptors().values()) {
            for (DatabaseField field : descriptor.getFields()) {
                if (field.getType() == String.class && field.getLength() > NVARCHAR_LIMIT) {
                    // A column definition replaces the whole type clause, so the NOT NULL must be restated.
                    field.setColumnDefinition("NVARCHAR(MAX)" + (field.isNullable() ? "" : " NOT NULL"));
                }
            }
        }
    }
}
