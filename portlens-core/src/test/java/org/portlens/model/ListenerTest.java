package org.portlens.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerTest {

    private static final Endpoint LOCAL =
            new Endpoint("127.0.0.1", 3640, false, BindScope.LOOPBACK, Endpoint.DualStack.NOT_APPLICABLE);
    private static final NetNamespace NS = new NetNamespace(4026531840L, "", true);

    @Test
    void theConstructorWithoutAUserNameShowsTheUid() {
        Listener l = new Listener(Transport.TCP, LOCAL, ListenerState.LISTEN, 1000, 77, NS, List.of());
        assertThat(l.user()).isEqualTo("1000");
        assertThat(l.uid()).isEqualTo(1000);
    }

    @Test
    void ownersAreCopied() {
        List<Owner> owners = new ArrayList<>();
        Listener l = new Listener(Transport.TCP, LOCAL, ListenerState.LISTEN, 0, "root", 77, NS, owners);
        owners.add(new Owner.Gone(5));
        assertThat(l.owners()).isEmpty();
    }
}
