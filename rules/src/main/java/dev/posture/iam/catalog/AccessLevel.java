package dev.posture.iam.catalog;

/** AWS's access levels for actions, as in the Service Authorization Reference. */
public enum AccessLevel {
    LIST("List"), READ("Read"), WRITE("Write"), PERMISSIONS_MANAGEMENT("Permissions management"), TAGGING("Tagging");

    private final String label;

    AccessLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
