// The store on the engine named by ASSAY_TEST_ENGINE (sqlite or mariadb): migrations from an
// empty database and again, every repository, constraints, transactions and concurrent writers.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "assay/core/error.h"
#include "assay/core/store/migrations.h"
#include "assay/core/store/store.h"
#include "test_host.h"

using namespace assay;

class StoreTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreTest);
    CPPUNIT_TEST(testMigrationsFromEmptyAndAgain);
    CPPUNIT_TEST(testUsers);
    CPPUNIT_TEST(testTokensAndSessions);
    CPPUNIT_TEST(testCoursesAndEnrollments);
    CPPUNIT_TEST(testAssignmentVersions);
    CPPUNIT_TEST(testSubmissionsAndResults);
    CPPUNIT_TEST(testTransactionRollsBack);
    CPPUNIT_TEST(testConcurrentSubmissionsGetDistinctOrdinals);
    CPPUNIT_TEST(testEventsAndSettings);
    CPPUNIT_TEST(testBinaryFilesRoundTrip);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        const char* e = std::getenv("ASSAY_TEST_ENGINE");
        tdb_ = std::make_unique<test::TestDatabase>(e ? e : "sqlite");
        db_ = db::open(tdb_->url(), 4, 5000);
        db::migrate(*db_);
        store_ = std::make_unique<Store>(*db_);
    }
    void tearDown() override {
        store_.reset();
        db_.reset();
        tdb_.reset();
    }

    void testMigrationsFromEmptyAndAgain() {
        test::TestDatabase fresh(engine());
        auto db = db::open(fresh.url(), 2, 5000);
        CPPUNIT_ASSERT_EQUAL(0, db::currentSchemaVersion(*db));
        auto first = db::migrate(*db);
        CPPUNIT_ASSERT_EQUAL(0, first.fromVersion);
        CPPUNIT_ASSERT_EQUAL(db::latestSchemaVersion(), first.toVersion);
        CPPUNIT_ASSERT(!first.applied.empty());
        auto again = db::migrate(*db);
        CPPUNIT_ASSERT(again.applied.empty());
        CPPUNIT_ASSERT_EQUAL(db::latestSchemaVersion(), db::currentSchemaVersion(*db));
        // The schema works after migrating: a row goes in and comes out.
        Store s(*db);
        s.createUser(NewUser{"probe", "", "", Role::Student, std::nullopt, false});
        CPPUNIT_ASSERT_EQUAL(int64_t{1}, s.countUsers());
    }

    void testUsers() {
        User u = store_->createUser(
            NewUser{"Alice", "Alice A.", "a@example.org", Role::Instructor, "hash1", true});
        CPPUNIT_ASSERT(u.id > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), u.username);
        auto byName = store_->findUserByName("ALICE");
        CPPUNIT_ASSERT(byName);
        CPPUNIT_ASSERT_EQUAL(u.id, byName->id);
        CPPUNIT_ASSERT(byName->role == Role::Instructor);
        CPPUNIT_ASSERT(byName->mustChangePassword);
        CPPUNIT_ASSERT_EQUAL(std::string("hash1"), *store_->passwordHash(u.id));
        try {
            store_->createUser(NewUser{"alice", "", "", Role::Student, std::nullopt, false});
            CPPUNIT_FAIL("duplicate username accepted");
        } catch (const ApiError& e) {
            CPPUNIT_ASSERT_EQUAL(409, e.status());
            CPPUNIT_ASSERT_EQUAL(std::string("username_taken"), e.code());
        }
        u.disabled = true;
        u.role = Role::Admin;
        store_->updateUser(u);
        auto again = store_->findUser(u.id);
        CPPUNIT_ASSERT(again->disabled);
        CPPUNIT_ASSERT(again->role == Role::Admin);
        store_->setPassword(u.id, "hash2", false);
        CPPUNIT_ASSERT_EQUAL(std::string("hash2"), *store_->passwordHash(u.id));
        CPPUNIT_ASSERT(!store_->findUser(u.id)->mustChangePassword);
        CPPUNIT_ASSERT(!store_->findUser(999999));
        CPPUNIT_ASSERT_EQUAL(size_t{1}, store_->listUsers().size());
    }

    void testTokensAndSessions() {
        User u = store_->createUser(NewUser{"bob", "", "", Role::Instructor, std::nullopt, false});
        const int64_t t = store_->createToken(u.id, "ci", std::string(64, 'a'), "assay_abcd");
        CPPUNIT_ASSERT_EQUAL(u.id, store_->userForToken(std::string(64, 'a'))->id);
        CPPUNIT_ASSERT(!store_->userForToken(std::string(64, 'b')));
        CPPUNIT_ASSERT(store_->listTokens(u.id)[0].lastUsedAt.has_value());
        CPPUNIT_ASSERT(store_->revokeToken(u.id, t));
        CPPUNIT_ASSERT(!store_->userForToken(std::string(64, 'a')));
        CPPUNIT_ASSERT(!store_->revokeToken(u.id + 1, t));

        store_->createSession(std::string(64, 's'), u.id, "csrf", nowMs() + 60000, "127.0.0.1");
        auto s = store_->findSession(std::string(64, 's'));
        CPPUNIT_ASSERT(s);
        CPPUNIT_ASSERT_EQUAL(std::string("csrf"), s->csrfToken);
        CPPUNIT_ASSERT_EQUAL(u.id, s->user.id);
        store_->createSession(std::string(64, 'x'), u.id, "csrf", nowMs() - 1, "127.0.0.1");
        CPPUNIT_ASSERT(!store_->findSession(std::string(64, 'x')));
        CPPUNIT_ASSERT_EQUAL(int64_t{1}, store_->deleteExpiredSessions());
        store_->deleteSession(std::string(64, 's'));
        CPPUNIT_ASSERT(!store_->findSession(std::string(64, 's')));
    }

    void testCoursesAndEnrollments() {
        Course c = store_->createCourse("CS101", "Programming");
        CPPUNIT_ASSERT_THROW(store_->createCourse("CS101", "Again"), ApiError);
        User a = store_->createUser(NewUser{"ann", "", "", Role::Student, std::nullopt, false});
        User t = store_->createUser(NewUser{"tom", "", "", Role::Instructor, std::nullopt, false});
        store_->enroll(c.id, a.id, Role::Student);
        store_->enroll(c.id, t.id, Role::Student);
        store_->enroll(c.id, t.id, Role::Instructor);  // re-enrolling changes the role
        CPPUNIT_ASSERT(*store_->enrollmentRole(c.id, t.id) == Role::Instructor);
        CPPUNIT_ASSERT_EQUAL(size_t{2}, store_->listEnrollments(c.id).size());
        CPPUNIT_ASSERT_EQUAL(size_t{1}, store_->listCoursesOf(a.id).size());
        CPPUNIT_ASSERT(store_->unenroll(c.id, a.id));
        CPPUNIT_ASSERT(!store_->enrollmentRole(c.id, a.id));
        CPPUNIT_ASSERT(!store_->unenroll(c.id, a.id));
        c.title = "Programming I";
        store_->updateCourse(c);
        CPPUNIT_ASSERT_EQUAL(std::string("Programming I"),
                             store_->findCourseByCode("CS101")->title);
    }

    void testAssignmentVersions() {
        Course c = store_->createCourse("C", "C");
        FileMap f1{{"statement.md", "v1"}};
        Assignment a = store_->createAssignment(c.id, "sum", "Sum", "{\"v\":1}", f1, std::nullopt);
        CPPUNIT_ASSERT_EQUAL(1, a.latestVersion);
        CPPUNIT_ASSERT(!a.publishedVersion);
        CPPUNIT_ASSERT_THROW(store_->createAssignment(c.id, "sum", "Sum", "{}", f1, std::nullopt),
                             ApiError);
        store_->publish(a.id, 1);
        const int v2 = store_->addVersion(a.id, "Sum 2", "{\"v\":2}",
                                          FileMap{{"statement.md", "v2"}}, std::nullopt);
        CPPUNIT_ASSERT_EQUAL(2, v2);
        auto now = store_->findAssignment(a.id);
        CPPUNIT_ASSERT_EQUAL(2, now->latestVersion);
        CPPUNIT_ASSERT_EQUAL(1, *now->publishedVersion);  // the published version does not move
        CPPUNIT_ASSERT_EQUAL(std::string("v1"),
                             store_->findVersion(a.id, 1)->files.at("statement.md"));
        CPPUNIT_ASSERT_EQUAL(std::string("v2"),
                             store_->findVersion(a.id, 2)->files.at("statement.md"));
        CPPUNIT_ASSERT(store_->findVersion(a.id, 1)->publishedAt.has_value());
        CPPUNIT_ASSERT_THROW(store_->publish(a.id, 7), ApiError);
        CPPUNIT_ASSERT_EQUAL(a.id, store_->findAssignmentBySlug(c.id, "sum")->id);
        CPPUNIT_ASSERT(store_->deleteAssignment(a.id));
        CPPUNIT_ASSERT(!store_->findAssignment(a.id));
    }

    void testSubmissionsAndResults() {
        Course c = store_->createCourse("C", "C");
        User u = store_->createUser(NewUser{"stu", "", "", Role::Student, std::nullopt, false});
        Assignment a = store_->createAssignment(c.id, "x", "X", "{}", {}, std::nullopt);
        auto v = store_->findVersion(a.id, 1);
        Submission s1 = store_->createSubmission(a.id, v->id, u.id, "run",
                                                 {{"main.py", "print(1)\n"}}, "10.0.0.1");
        Submission s2 = store_->createSubmission(a.id, v->id, u.id, "run",
                                                 {{"main.py", "print(2)\n"}}, "10.0.0.1");
        Submission f1 = store_->createSubmission(a.id, v->id, u.id, "submit",
                                                 {{"main.py", "é ✓\n"}}, "10.0.0.1");
        CPPUNIT_ASSERT_EQUAL(1, s1.ordinal);
        CPPUNIT_ASSERT_EQUAL(2, s2.ordinal);
        CPPUNIT_ASSERT_EQUAL(1, f1.ordinal);
        CPPUNIT_ASSERT_EQUAL(std::string("é ✓\n"),
                             store_->findSubmission(f1.id)->files.at("main.py"));
        CPPUNIT_ASSERT(!store_->deleteAssignment(a.id));  // has submissions
        CPPUNIT_ASSERT_EQUAL(size_t{3}, store_->submissionsWithStatus("queued").size());
        CPPUNIT_ASSERT(store_->transition(s1.id, "queued", "running"));
        CPPUNIT_ASSERT(!store_->transition(s1.id, "queued", "running"));
        CPPUNIT_ASSERT(store_->findSubmission(s1.id)->startedAt.has_value());
        store_->saveResults(s1.id, 7.5, 10,
                            {TestResult{"a", true, 7.5, 7.5, false, "good", "{}"},
                             TestResult{"b", false, 0, 2.5, true, "hidden", "{}"}});
        auto done = store_->findSubmission(s1.id);
        CPPUNIT_ASSERT_EQUAL(std::string("graded"), done->status);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(7.5, *done->score, 1e-9);
        auto rs = store_->results(s1.id);
        CPPUNIT_ASSERT_EQUAL(size_t{2}, rs.size());
        CPPUNIT_ASSERT(rs[1].hidden);
        CPPUNIT_ASSERT(!rs[1].passed);
        CPPUNIT_ASSERT_EQUAL(size_t{3}, store_->listSubmissions(a.id, u.id).size());
        CPPUNIT_ASSERT_EQUAL(size_t{0}, store_->listSubmissions(a.id, u.id + 100).size());
    }

    void testTransactionRollsBack() {
        try {
            db_->transaction([&](db::Connection& c) {
                c.execute("INSERT INTO courses (code, title, created_at) VALUES (?, ?, ?)",
                          {std::string("T1"), std::string("t"), int64_t{1}});
                throw std::runtime_error("abort");
            });
        } catch (const std::runtime_error&) {
        }
        CPPUNIT_ASSERT(!store_->findCourseByCode("T1"));
    }

    void testConcurrentSubmissionsGetDistinctOrdinals() {
        Course c = store_->createCourse("C", "C");
        User u = store_->createUser(NewUser{"stu", "", "", Role::Student, std::nullopt, false});
        Assignment a = store_->createAssignment(c.id, "x", "X", "{}", {}, std::nullopt);
        const int64_t vid = store_->findVersion(a.id, 1)->id;
        std::vector<std::thread> threads;
        std::mutex m;
        std::multiset<int> ordinals;
        std::atomic<int> failures{0};
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 10; ++i) {
                    for (int attempt = 0;; ++attempt) {
                        try {
                            auto s = store_->createSubmission(a.id, vid, u.id, "run",
                                                              {{"m.py", "x"}}, "");
                            std::lock_guard lock(m);
                            ordinals.insert(s.ordinal);
                            break;
                        } catch (const db::DbError& e) {
                            // MariaDB may pick a deadlock victim; the caller retries.
                            if (e.kind() != db::DbError::Kind::Busy || attempt > 20) {
                                ++failures;
                                break;
                            }
                        }
                    }
                }
            });
        for (auto& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT_EQUAL(size_t{40}, ordinals.size());
        CPPUNIT_ASSERT_EQUAL(size_t{40}, std::set<int>(ordinals.begin(), ordinals.end()).size());
    }

    void testEventsAndSettings() {
        store_->logEvent(
            Event{0, 0, std::nullopt, "auth.login_failed", "eve", "1.2.3.4", "req1", ""});
        store_->logEvent(
            Event{0, 0, std::nullopt, "auth.login_failed", "eve", "1.2.3.4", "req2", "{\"a\":1}"});
        store_->logEvent(Event{0, 0, std::nullopt, "course.created", "1", "1.2.3.4", "req3", ""});
        CPPUNIT_ASSERT_EQUAL(int64_t{2}, store_->countEvents("auth.login_failed", "eve", 0));
        CPPUNIT_ASSERT_EQUAL(int64_t{0},
                             store_->countEvents("auth.login_failed", "eve", nowMs() + 1000));
        EventFilter f;
        f.actionPrefix = "auth.";
        auto ev = store_->listEvents(f);
        CPPUNIT_ASSERT_EQUAL(size_t{2}, ev.size());
        CPPUNIT_ASSERT_EQUAL(std::string("req2"), ev[0].requestId);  // newest first
        CPPUNIT_ASSERT(!store_->setting("k"));
        store_->setSetting("k", "v1");
        store_->setSetting("k", "v1");
        store_->setSetting("k", "v2");
        CPPUNIT_ASSERT_EQUAL(std::string("v2"), *store_->setting("k"));
    }

    void testBinaryFilesRoundTrip() {
        Course c = store_->createCourse("C", "C");
        std::string bin;
        for (int i = 0; i < 256; ++i)
            bin.push_back(static_cast<char>(i));
        FileMap files{{"data/blob.bin", bin}, {"empty.txt", ""}};
        Assignment a = store_->createAssignment(c.id, "b", "B", "{}", files, std::nullopt);
        auto v = store_->findVersion(a.id, 1);
        CPPUNIT_ASSERT(v->files == files);
        CPPUNIT_ASSERT_THROW(Store::unpackFiles("AFM1\xff"), std::runtime_error);
    }

  private:
    static std::string engine() {
        const char* e = std::getenv("ASSAY_TEST_ENGINE");
        return e ? e : "sqlite";
    }
    std::unique_ptr<test::TestDatabase> tdb_;
    std::unique_ptr<db::Database> db_;
    std::unique_ptr<Store> store_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreTest);
