import Testing
@Test func placeholderOspreyMetricsTests() {}
