// The request gate (api/src/request_gate.h): at most `slots` holders at once, and the others
// admitted in the order they arrived.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "expectmatch/api/request_gate.h"

namespace expectmatch {
namespace {

using api::RequestGate;
using namespace std::chrono_literals;

// Waits (up to 10 s) until `gate` has `n` waiters.
bool WaitForWaiters(const RequestGate& gate, size_t n) {
  for (int i = 0; i < 10000 && gate.waiting() != n; ++i) std::this_thread::sleep_for(1ms);
  return gate.waiting() == n;
}

TEST(RequestGate, NeverMoreHoldersThanSlots) {
  RequestGate gate(3);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        RequestGate::Slot slot(gate);
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        if (i % 20 == 0) std::this_thread::sleep_for(100us);
        --inside;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(gate.waiting(), 0u);
}

// The slots are used, not one at a time: three holders meet inside a three-slot gate. Whether
// the loop above ever overlaps is the scheduler's choice, so this is asserted by a rendezvous.
TEST(RequestGate, EverySlotCanBeHeldAtOnce) {
  RequestGate gate(3);
  std::atomic<int> inside{0};
  std::atomic<int> met{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      RequestGate::Slot slot(gate);
      ++inside;
      // Waits (up to 10 s) for the two others to be inside at the same time.
      for (int i = 0; i < 10000 && inside.load() < 3; ++i) std::this_thread::sleep_for(1ms);
      if (inside.load() == 3) ++met;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(met.load(), 3);
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(RequestGate, WaitersAreAdmittedInArrivalOrder) {
  RequestGate gate(1);
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  {
    RequestGate::Slot held(gate);  // every thread below must queue
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        RequestGate::Slot slot(gate);
        std::lock_guard lock(order_mutex);
        order.push_back(t);
      });
      ASSERT_TRUE(WaitForWaiters(gate, static_cast<size_t>(t + 1)))
          << "thread " << t << " did not queue";
    }
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(RequestGate, AFreedSlotGoesToAWaiterNotToANewcomer) {
  RequestGate gate(1);
  std::atomic<bool> waiter_in{false};
  std::thread waiter;
  {
    RequestGate::Slot held(gate);
    waiter = std::thread([&] {
      RequestGate::Slot slot(gate);
      waiter_in = true;
      EXPECT_TRUE(WaitForWaiters(gate, 1));  // the newcomer queues behind, and waits for this slot
    });
    ASSERT_TRUE(WaitForWaiters(gate, 1));
  }
  // The slot was handed to the waiter as it was released: a newcomer now has to queue.
  std::thread newcomer([&] {
    RequestGate::Slot slot(gate);
    EXPECT_TRUE(waiter_in.load());
  });
  waiter.join();
  newcomer.join();
  EXPECT_EQ(gate.waiting(), 0u);
}

}  // namespace
}  // namespace expectmatch
