// Runs every CppUnit suite registered in the executable's default registry.
// Usage: <suite> [TestName ...]   (names select single tests, e.g. StoreTest::testMigrations)
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>

int main(int argc, char** argv) {
    CppUnit::TestResult controller;
    CppUnit::TestResultCollector collector;
    controller.addListener(&collector);
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&progress);

    CppUnit::Test* all = CppUnit::TestFactoryRegistry::getRegistry().makeTest();
    CppUnit::TestRunner runner;
    runner.addTest(all);
    try {
        if (argc > 1) {
            for (int i = 1; i < argc; ++i)
                runner.run(controller, argv[i]);
        } else {
            runner.run(controller);
        }
    } catch (const std::invalid_argument& e) {
        std::cerr << "no such test: " << e.what() << "\n";
        return 2;
    }
    CppUnit::CompilerOutputter out(&collector, std::cerr);
    out.write();
    if (collector.runTests() == 0) {
        std::cerr << "no test was run\n";
        return 1;
    }
    return collector.wasSuccessful() ? 0 : 1;
}
