package dev.edgeiam.connect;

import dev.edgeiam.connect.ConnectCatalogLoader.CatalogRows;
import dev.edgeiam.connect.RouteTableLoader.RouteRows;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compact form the build makes of the Connect data ({@link ConnectModelForm}) against the JSON it is made from:
 * the model read from the form is the JSON's, action for action and route for route, the form on the class path is
 * the one the current JSON gives (not a stale one), and a damaged form is refused whole.
 */
class ConnectModelFormTest {

    private static final CatalogRows JSON_CATALOG_ROWS =
            ConnectCatalogLoader.rowsFromClasspath(ConnectCatalog.IAM_RESOURCE);
    private static final RouteRows JSON_ROUTE_ROWS = RouteTableLoader.rowsFromClasspath(RouteTable.ROUTES_RESOURCE);
    private static final ConnectCatalog JSON_CATALOG = ConnectCatalogLoader.fromClasspath(ConnectCatalog.IAM_RESOURCE);
    private static final List<RouteDefinition> JSON_ROUTES =
            RouteTableLoader.fromClasspath(RouteTable.ROUTES_RESOURCE, JSON_CATALOG);

    private static byte[] classpath(String name) {
        try (InputStream in = ConnectModelFormTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is not on the class path: the build's process-classes step did not run");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theClassPathFormsAreTheOnesTheCurrentJsonGives() {
        assertArrayEquals(ConnectModelForm.catalogBytes(JSON_CATALOG_ROWS), classpath(ConnectModelForm.CATALOG_FORM));
        assertArrayEquals(ConnectModelForm.routesBytes(JSON_ROUTE_ROWS), classpath(ConnectModelForm.ROUTES_FORM));
    }

    @Test
    void rowsSurviveTheRoundTrip() {
        assertEquals(JSON_CATALOG_ROWS, ConnectModelForm.catalog(ConnectModelForm.catalogBytes(JSON_CATALOG_ROWS)));
        assertEquals(JSON_ROUTE_ROWS, ConnectModelForm.routes(ConnectModelForm.routesBytes(JSON_ROUTE_ROWS)));
    }

    @Test
    void theDefaultsComeFromTheForm() {
        assertTrue(ConnectModelForm.catalogFromClasspath().isPresent());
        assertTrue(ConnectModelForm.routesFromClasspath().isPresent());
        assertEquals(JSON_CATALOG.actions(), ConnectCatalog.defaultCatalog().actions());
        assertEquals(JSON_ROUTES, RouteTable.defaultTable().routes());
        assertEquals(387, JSON_CATALOG.actions().size());
        assertEquals(397, JSON_ROUTES.size());
    }

    @TestFactory
    Stream<DynamicTest> everyActionIsTheJsonOne() {
        ConnectCatalog form = ConnectCatalogLoader.build(ConnectModelForm.catalogFromClasspath().orElseThrow());
        assertEquals(JSON_CATALOG.actions().size(), form.actions().size());
        return IntStream.range(0, JSON_CATALOG.actions().size()).mapToObj(i -> {
            ConnectAction json = JSON_CATALOG.actions().get(i);
            return DynamicTest.dynamicTest(json.iamAction(), () -> {
                assertEquals(json, form.actions().get(i));
                assertEquals(json, form.action(json.iamAction()).orElseThrow());
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> everyResourceTypeAndConditionKeyIsTheJsonOne() {
        ConnectCatalog form = ConnectCatalogLoader.build(ConnectModelForm.catalogFromClasspath().orElseThrow());
        assertEquals(JSON_CATALOG.resourceTypes().size(), form.resourceTypes().size());
        assertEquals(JSON_CATALOG.conditionKeys().size(), form.conditionKeys().size());
        Stream<DynamicTest> types = IntStream.range(0, JSON_CATALOG.resourceTypes().size()).mapToObj(i -> {
            ResourceType json = JSON_CATALOG.resourceTypes().get(i);
            return DynamicTest.dynamicTest("resource type " + json.name(), () -> {
                ResourceType got = form.resourceTypes().get(i);
                assertEquals(json, got);
                assertEquals(json.arnTemplate().variables(), got.arnTemplate().variables());
                assertEquals(json.arnService(), got.arnService());
            });
        });
        Stream<DynamicTest> keys = IntStream.range(0, JSON_CATALOG.conditionKeys().size()).mapToObj(i ->
                DynamicTest.dynamicTest("condition key " + JSON_CATALOG.conditionKeys().get(i).name(),
                        () -> assertEquals(JSON_CATALOG.conditionKeys().get(i), form.conditionKeys().get(i))));
        return Stream.concat(types, keys);
    }

    @TestFactory
    Stream<DynamicTest> everyRouteIsTheJsonOne() {
        ConnectCatalog catalog = ConnectCatalog.defaultCatalog();
        List<RouteDefinition> form = RouteTableLoader.build(ConnectModelForm.routesFromClasspath().orElseThrow(), catalog);
        assertEquals(JSON_ROUTES.size(), form.size());
        return IntStream.range(0, JSON_ROUTES.size()).mapToObj(i -> {
            RouteDefinition json = JSON_ROUTES.get(i);
            return DynamicTest.dynamicTest(json.operation() + " " + json.route(), () -> {
                RouteDefinition got = form.get(i);
                assertEquals(json, got);
                // the parts the record's equality compares by text only
                assertEquals(json.path().segments(), got.path().segments());
                assertEquals(json.path().labels(), got.path().labels());
                assertEquals(List.copyOf(json.queryParameters().entrySet()), List.copyOf(got.queryParameters().entrySet()));
                for (int r = 0; r < json.resources().size(); r++) {
                    assertEquals(List.copyOf(json.resources().get(r).variables().entrySet()),
                            List.copyOf(got.resources().get(r).variables().entrySet()));
                    assertEquals(json.resources().get(r).template().variables(),
                            got.resources().get(r).template().variables());
                }
            });
        });
    }

    @Test
    void aFormReadFromTheClassPathSharesItsTemplatesWithTheCatalog() {
        RouteTable table = RouteTable.defaultTable();
        for (RouteDefinition r : table.routes()) {
            for (RouteResource res : r.resources()) {
                assertSame(ConnectCatalog.defaultCatalog().resourceType(res.type()).orElseThrow().arnTemplate(),
                        res.template());
            }
        }
    }

    @Test
    void everyTruncationIsRefused() {
        for (byte[] whole : List.of(ConnectModelForm.catalogBytes(JSON_CATALOG_ROWS),
                ConnectModelForm.routesBytes(JSON_ROUTE_ROWS))) {
            boolean catalog = whole[4] == 1;
            // every length in the header and the first rows, then a spread over the rest
            List<Integer> lengths = new ArrayList<>();
            IntStream.range(0, 2_000).forEach(lengths::add);
            new Random(15).ints(300, 2_000, whole.length).forEach(lengths::add);
            for (int length : lengths) {
                byte[] cut = Arrays.copyOf(whole, length);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> read(catalog, cut), "a form cut to " + length + " bytes was read");
                assertTrue(e.getMessage().startsWith("corrupt "), e.getMessage());
            }
        }
    }

    @Test
    void aDamagedFormIsRefused() {
        byte[] catalog = ConnectModelForm.catalogBytes(JSON_CATALOG_ROWS);
        byte[] routes = ConnectModelForm.routesBytes(JSON_ROUTE_ROWS);
        assertThrows(IllegalStateException.class, () -> ConnectModelForm.routes(catalog), "catalog read as routes");
        assertThrows(IllegalStateException.class, () -> ConnectModelForm.catalog(routes), "routes read as catalog");
        byte[] magic = catalog.clone();
        magic[0] ^= 1;
        assertThrows(IllegalStateException.class, () -> ConnectModelForm.catalog(magic));
        byte[] trailing = Arrays.copyOf(routes, routes.length + 1);
        assertThrows(IllegalStateException.class, () -> ConnectModelForm.routes(trailing));
        // the last row's last field is a string index: point it past the table
        byte[] index = routes.clone();
        index[index.length - 4] = 0x7f;
        assertThrows(IllegalStateException.class, () -> ConnectModelForm.routes(index));
    }

    @Test
    void aDamagedFormIsNeverReadAsOtherRows() {
        // single-byte changes in the rows part: either refused or (a changed string index, say) different rows —
        // never silently the same model from different bytes, never another exception
        byte[] whole = ConnectModelForm.routesBytes(JSON_ROUTE_ROWS);
        Random random = new Random(1515);
        for (int n = 0; n < 400; n++) {
            byte[] damaged = whole.clone();
            int at = 9 + random.nextInt(whole.length - 9);
            damaged[at] = (byte) (damaged[at] + 1 + random.nextInt(255));
            try {
                RouteRows rows = ConnectModelForm.routes(damaged);
                assertTrue(!rows.equals(JSON_ROUTE_ROWS), "byte " + at + " changed, rows unchanged");
            } catch (IllegalStateException refused) {
                assertTrue(refused.getMessage().startsWith("corrupt "), refused.getMessage());
            }
        }
    }

    private static Object read(boolean catalog, byte[] bytes) {
        return catalog ? ConnectModelForm.catalog(bytes) : ConnectModelForm.routes(bytes);
    }
}
