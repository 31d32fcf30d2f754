package org.portlens.registry;

/**
 * A person or organisation named by a registry record, resolved through IANA's people list.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param id   IANA's person id ({@code Predrag_Filipovic}), or empty for free text
 * @param name the person's name, or empty
 * @param org  the organisation, or empty
 * @param uri  a contact URI (mailto: or https:), or empty
 */
public record Contact(String id, String name, String org, String uri) {

    /**
     * "Name (Org)", falling back to the id.
     *
     * @return the name and organisation, either alone when the other is empty, or the id when both are
     */
    public String display() {
        String who = !name.isEmpty() ? name : !org.isEmpty() ? org : id;
        if (!name.isEmpty() && !org.isEmpty()) {
            who = name + " (" + org + ")";
        }
        return who;
    }
}
