// The transport's worker pool (expectmatch/api/elastic_pool.h): kWhenBusy grows whenever a job
// waits for a worker; kWhenStalled only when no worker takes a job for a while, so that a
// queue of short jobs costs no thread while workers held by slow clients are still relieved.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "expectmatch/api/elastic_pool.h"

namespace expectmatch {
namespace {

using api::ElasticPool;
using namespace std::chrono_literals;

TEST(ElasticPool, AStalledPoolGrowsAndServesTheJobBehindABlockedWorker) {
  ElasticPool pool(1, 4, ElasticPool::Growth::kWhenStalled, 10ms);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> second_ran{false};
  pool.enqueue([released] { released.wait(); });  // holds the only worker
  pool.enqueue([&second_ran] { second_ran = true; });
  // Nobody takes a job any more: a check after the 10 ms adds a worker, which runs the second.
  for (int i = 0; i < 1000 && !second_ran; ++i) {
    std::this_thread::sleep_for(10ms);
    pool.GrowIfStalled();
  }
  EXPECT_TRUE(second_ran) << "the job behind the blocked worker never ran";
  EXPECT_GE(pool.workers(), 2u);
  release.set_value();
}

TEST(ElasticPool, AQueueThatMovesAddsNoWorkerWhenGrowingOnStalls) {
  // An hour's stall before growing: 200 jobs queued at once are taken by the one worker.
  ElasticPool pool(1, 8, ElasticPool::Growth::kWhenStalled, std::chrono::hours(1));
  std::atomic<int> ran{0};
  for (int i = 0; i < 200; ++i) pool.enqueue([&ran] { ran.fetch_add(1); });
  pool.GrowIfStalled();
  EXPECT_EQ(pool.workers(), 1u);  // growing when busy would have added workers
  pool.shutdown();  // runs what is queued, then the workers leave
  EXPECT_EQ(ran.load(), 200);
  EXPECT_EQ(pool.workers(), 0u);
}

TEST(ElasticPool, GrowingWhenBusyAddsAWorkerForAJobThatWouldWait) {
  ElasticPool pool(1, 4, ElasticPool::Growth::kWhenBusy);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> second;
  pool.enqueue([released] { released.wait(); });
  // No idle worker for it: one is added at once, without any check.
  pool.enqueue([&second] { second.set_value(); });
  EXPECT_EQ(second.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_GE(pool.workers(), 2u);
  release.set_value();
}

}  // namespace
}  // namespace expectmatch
